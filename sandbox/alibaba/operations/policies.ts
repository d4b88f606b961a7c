import type { Operation, OperationContext } from '../../types';
import { accountOf, defaultVersionOf, findPolicy } from '../accounts';
import { pageOf } from '../paging';
import { rm } from '../resourcemanager/errors';
import {
  checkedPolicyName,
  checkedVersionId,
  optionalPolicyType,
  policyType,
} from '../resourcemanager/validate';
import type { AlibabaPolicy } from '../state';
import { rpc } from './define';

/** DeletePolicy and DeletePolicyVersion take no PolicyType: they address the account's custom policies only. */
function customPolicy(context: OperationContext, name: string): AlibabaPolicy {
  return findPolicy(context, name, 'Custom');
}

/**
 * Seed 004. A System policy cannot be named here (no PolicyType, custom policies only), so deleting one
 * answers EntityNotExist.Policy. Conflicts are checked users, groups, roles, then versions; the role
 * conflict code is the sandbox's (undocumented, see DeleteConflict.Policy.Role in rm-errors.ts).
 */
const deletePolicy = rpc(true, (params, context) => {
  const name = checkedPolicyName(params, 64);
  const policy = customPolicy(context, name);
  const account = accountOf(context);
  const uses = account.attachments.filter((a) => a.policyType === 'Custom' && a.policyName === name);
  if (uses.some((a) => a.principalType === 'IMSUser')) throw rm.deleteConflictUser();
  if (uses.some((a) => a.principalType === 'IMSGroup')) throw rm.deleteConflictGroup();
  if (uses.some((a) => a.principalType === 'ServiceRole')) throw rm.deleteConflictRole();
  if (policy.versions.some((v) => !v.isDefault)) throw rm.deleteConflictVersion();
  account.policies.splice(account.policies.indexOf(policy), 1);
  return {};
});

const listPolicies = rpc(false, (params, context) => {
  const type = optionalPolicyType(params);
  const account = accountOf(context);
  const matching = account.policies.filter((p) => type === undefined || p.type === type);
  const { items, ...page } = pageOf(matching, params);
  return {
    ...page,
    Policies: {
      Policy: items.map((p) => ({
        AttachmentCount: account.attachments.filter((a) => a.policyName === p.name && a.policyType === p.type)
          .length,
        CreateDate: p.createDate,
        DefaultVersion: defaultVersionOf(p)?.versionId,
        Description: p.description,
        PolicyName: p.name,
        PolicyType: p.type,
        UpdateDate: defaultVersionOf(p)?.createDate ?? p.createDate,
      })),
    },
  };
});

const listPolicyVersions = rpc(false, (params, context) => {
  const type = policyType(params);
  const policy = findPolicy(context, checkedPolicyName(params, 64), type);
  return {
    PolicyVersions: {
      PolicyVersion: policy.versions.map((v) => ({
        CreateDate: v.createDate,
        IsDefaultVersion: v.isDefault,
        VersionId: v.versionId,
      })),
    },
  };
});

const deletePolicyVersion = rpc(true, (params, context) => {
  const name = checkedPolicyName(params, 128);
  const versionId = checkedVersionId(params);
  const policy = customPolicy(context, name);
  const version = policy.versions.find((v) => v.versionId === versionId);
  if (!version) throw rm.versionNotFound();
  if (version.isDefault) throw rm.deleteDefaultVersion();
  policy.versions.splice(policy.versions.indexOf(version), 1);
  return {};
});

export const policyOperations: Record<string, Operation> = {
  DeletePolicy: deletePolicy,
  ListPolicies: listPolicies,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
};
