import { accountOf, findPolicy } from '../accounts';
import { alibabaApi, rpcParams } from '../api';
import { rm } from './errors';
import { checkedPolicyName } from './validate';

/**
 * DeletePolicy takes no PolicyType: it addresses the account's custom policies only, so naming a System
 * policy answers EntityNotExist.Policy. Conflicts are checked users, groups, roles, then versions; the
 * role conflict code is the sandbox's (undocumented, see DeleteConflict.Policy.Role in errors.ts).
 */
export const deletePolicy = alibabaApi({
  action: 'DeletePolicy',
  // docs/sources.md, "Alibaba permissions".
  permission: 'ram:DeletePolicy',
  mutating: true,
  params: rpcParams({ PolicyName: checkedPolicyName(64) }),
  handle({ PolicyName: name }, context) {
    const policy = findPolicy(context, name, 'Custom');
    const account = accountOf(context);
    const uses = account.attachments.filter((a) => a.policyType === 'Custom' && a.policyName === name);
    if (uses.some((a) => a.principalType === 'IMSUser')) throw rm.deleteConflictUser();
    if (uses.some((a) => a.principalType === 'IMSGroup')) throw rm.deleteConflictGroup();
    if (uses.some((a) => a.principalType === 'ServiceRole')) throw rm.deleteConflictRole();
    if (policy.versions.some((v) => !v.isDefault)) throw rm.deleteConflictVersion();
    account.policies.splice(account.policies.indexOf(policy), 1);
    return {};
  },
});
