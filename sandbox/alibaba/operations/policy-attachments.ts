import type { Operation, OperationContext } from '../../types';
import { accountOf, findPolicy, resolveScope } from '../accounts';
import { pageOf } from '../paging';
import type { RpcParams } from '../params';
import { attachmentExists, attachmentNotFound } from '../resourcemanager/errors';
import {
  optionalPolicyType,
  optionalPrincipalType,
  policyType,
  principalType,
} from '../resourcemanager/validate';
import type { AlibabaAttachment } from '../state';
import { isoSeconds, rpc } from './define';

/** The five parameters that identify one attachment, checked in the order the seed's table lists them. */
function attachmentParams(params: RpcParams, context: OperationContext) {
  const type = policyType(params);
  const name = params.required('PolicyName');
  const principal = principalType(params);
  const principalName = params.required('PrincipalName');
  const resourceGroupId = params.required('ResourceGroupId');
  findPolicy(context, name, type);
  resolveScope(context, resourceGroupId, 'change');
  return { policyType: type, policyName: name, principalType: principal, principalName, resourceGroupId };
}

type Key = Omit<AlibabaAttachment, 'attachDate'>;

const sameAttachment = (a: Key) => (b: AlibabaAttachment) =>
  a.resourceGroupId === b.resourceGroupId &&
  a.policyType === b.policyType &&
  a.policyName === b.policyName &&
  a.principalType === b.principalType &&
  a.principalName === b.principalName;

const attachPolicy = rpc(true, (params, context) => {
  const key = attachmentParams(params, context);
  const attachments = accountOf(context).attachments;
  if (attachments.some(sameAttachment(key))) throw attachmentExists(key.principalType);
  attachments.push({ ...key, attachDate: isoSeconds(context.now) });
  return {};
});

const detachPolicy = rpc(true, (params, context) => {
  const key = attachmentParams(params, context);
  const attachments = accountOf(context).attachments;
  const index = attachments.findIndex(sameAttachment(key));
  if (index === -1) throw attachmentNotFound(key.principalType);
  attachments.splice(index, 1);
  return {};
});

/** Every filter the API has; ResourceGroupId may also be the account id, and must exist when given. */
const listPolicyAttachments = rpc(false, (params, context) => {
  const resourceGroupId = params.optional('ResourceGroupId');
  if (resourceGroupId !== undefined) resolveScope(context, resourceGroupId, 'read');
  const type = optionalPolicyType(params);
  const name = params.optional('PolicyName');
  const principal = optionalPrincipalType(params);
  const principalName = params.optional('PrincipalName');
  const account = accountOf(context);
  const matching = account.attachments.filter(
    (a) =>
      (resourceGroupId === undefined || a.resourceGroupId === resourceGroupId) &&
      (type === undefined || a.policyType === type) &&
      (name === undefined || a.policyName === name) &&
      (principal === undefined || a.principalType === principal) &&
      (principalName === undefined || a.principalName === principalName),
  );
  const { items, ...page } = pageOf(matching, params);
  const describe = (a: AlibabaAttachment) =>
    account.policies.find((p) => p.name === a.policyName && p.type === a.policyType)?.description ?? '';
  return {
    ...page,
    PolicyAttachments: {
      PolicyAttachment: items.map((a) => ({
        AttachDate: a.attachDate,
        Description: describe(a),
        PolicyName: a.policyName,
        PolicyType: a.policyType,
        PrincipalName: a.principalName,
        PrincipalType: a.principalType,
        ResourceGroupId: a.resourceGroupId,
      })),
    },
  };
});

export const policyAttachmentOperations: Record<string, Operation> = {
  AttachPolicy: attachPolicy,
  DetachPolicy: detachPolicy,
  ListPolicyAttachments: listPolicyAttachments,
};
