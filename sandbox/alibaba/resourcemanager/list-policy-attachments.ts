import { accountOf, resolveScope } from '../accounts';
import { alibabaApi, optional, PAGE_FIELDS, rpcParams } from '../api';
import { pageOf } from '../paging';
import type { AlibabaAttachment } from '../state';
import { optionalPolicyType, optionalPrincipalType } from './validate';

/** Every filter the API has; ResourceGroupId may also be the account id, and must exist when given. */
export const listPolicyAttachments = alibabaApi({
  action: 'ListPolicyAttachments',
  // docs/sources.md, "Alibaba permissions" (inferred from the documented resource-group calls).
  permission: 'ram:ListPolicyAttachments',
  mutating: false,
  params: rpcParams({
    ResourceGroupId: optional,
    PolicyType: optionalPolicyType,
    PolicyName: optional,
    PrincipalType: optionalPrincipalType,
    PrincipalName: optional,
    ...PAGE_FIELDS,
  }),
  handle(params, context) {
    const { ResourceGroupId: resourceGroupId, PolicyType: type, PolicyName: name } = params;
    const { PrincipalType: principal, PrincipalName: principalName } = params;
    if (resourceGroupId !== undefined) resolveScope(context, resourceGroupId, 'read');
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
  },
});
