import { z } from 'zod';
import { huaweiApi, id, PAGE_FIELDS } from '../api';
import { paginate } from '../paging';
import { accountOf, findAgency } from './lookup';

// Field names are the SDK models' JSON keys (v5/model/AttachedPolicy, PageInfo).

/** GET /v5/agencies/{agency_id}/attached-policies → {attached_policies, page_info}. */
export const listAttachedAgencyPolicies = huaweiApi({
  action: 'ListAttachedAgencyPoliciesV5',
  path: 'GET /v5/agencies/{agency_id}/attached-policies',
  permission: 'iam:agencies:listAttachedPoliciesV5',
  mutating: false,
  params: z.object({ path: z.object({ agency_id: id('agency_id') }), query: z.object(PAGE_FIELDS) }),
  handle({ path, query }, context) {
    const agencyId = path.agency_id;
    const account = accountOf(context);
    findAgency(account, agencyId);
    const attached = account.attachments.flatMap((a) => {
      const policy = a.agencyId === agencyId && account.policies.find((p) => p.policyId === a.policyId);
      return policy
        ? [
            {
              policy_name: policy.name,
              policy_id: policy.policyId,
              urn: policy.urn,
              attached_at: a.attachedAt,
            },
          ]
        : [];
    });
    const { page: items, pageInfo } = paginate(attached, (p) => p.policy_id, query);
    return { attached_policies: items, page_info: pageInfo };
  },
});
