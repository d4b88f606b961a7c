import { accountOf, defaultVersionOf } from '../accounts';
import { alibabaApi, PAGE_FIELDS, rpcParams } from '../api';
import { pageOf } from '../paging';
import { optionalPolicyType } from './validate';

/** ListPolicies: the account's System and Custom policies, `PolicyType` filtering, paged. */
export const listPolicies = alibabaApi({
  action: 'ListPolicies',
  permission: 'ram:ListPolicies',
  mutating: false,
  params: rpcParams({ PolicyType: optionalPolicyType, ...PAGE_FIELDS }),
  handle(params, context) {
    const account = accountOf(context);
    const matching = account.policies.filter(
      (p) => params.PolicyType === undefined || p.type === params.PolicyType,
    );
    const { items, ...page } = pageOf(matching, params);
    return {
      ...page,
      Policies: {
        Policy: items.map((p) => ({
          AttachmentCount: account.attachments.filter(
            (a) => a.policyName === p.name && a.policyType === p.type,
          ).length,
          CreateDate: p.createDate,
          DefaultVersion: defaultVersionOf(p)?.versionId,
          Description: p.description,
          PolicyName: p.name,
          PolicyType: p.type,
          UpdateDate: defaultVersionOf(p)?.createDate ?? p.createDate,
        })),
      },
    };
  },
});
