import { z } from 'zod';
import { huaweiApi, optionalEnum, PAGE_FIELDS, PATH_PREFIX_FIELD } from '../api';
import { paginate } from '../paging';
import { accountOf } from './lookup';

/**
 * GET /v5/policies → {policies, page_info} (v5/model/Policy), filtered by policy_type, path_prefix and
 * only_attached.
 */
export const listPolicies = huaweiApi({
  action: 'ListPoliciesV5',
  path: 'GET /v5/policies',
  permission: 'iam:policies:listV5',
  mutating: false,
  params: z.object({
    query: z.object({
      policy_type: optionalEnum('policy_type', ['custom', 'system'] as const),
      only_attached: optionalEnum('only_attached', ['true', 'false'] as const),
      path_prefix: PATH_PREFIX_FIELD,
      ...PAGE_FIELDS,
    }),
  }),
  handle({ query }, context) {
    const { policy_type: policyType, path_prefix: pathPrefix } = query;
    const onlyAttached = query.only_attached === 'true';
    const account = accountOf(context);
    const policies = account.policies
      .map((p) => ({ policy: p, count: account.attachments.filter((a) => a.policyId === p.policyId).length }))
      .filter(({ policy }) => policyType === undefined || policy.type === policyType)
      .filter(({ policy }) => pathPrefix === undefined || policy.path.startsWith(pathPrefix))
      .filter(({ count }) => !onlyAttached || count > 0)
      .map(({ policy, count }) => ({
        policy_type: policy.type,
        policy_name: policy.name,
        policy_id: policy.policyId,
        urn: policy.urn,
        path: policy.path,
        description: policy.description,
        default_version_id: policy.defaultVersionId,
        attachment_count: count,
        created_at: policy.createdAt,
        updated_at: policy.createdAt,
      }));
    const { page: items, pageInfo } = paginate(policies, (p) => p.policy_id, query);
    return { policies: items, page_info: pageInfo };
  },
});
