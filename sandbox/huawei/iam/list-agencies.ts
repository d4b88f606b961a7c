import { z } from 'zod';
import { huaweiApi, PAGE_FIELDS, PATH_PREFIX_FIELD } from '../api';
import { paginate } from '../paging';
import { accountOf } from './lookup';

/**
 * GET /v5/agencies → {agencies, page_info}: the account's agencies and trust agencies, paged by `limit` and
 * `marker` (IamClient.js listAgenciesV5; fields of v5/model/Agency). Sandbox agencies have no path (''), so a
 * `path_prefix` is checked but lists none.
 */
export const listAgencies = huaweiApi({
  action: 'ListAgenciesV5',
  path: 'GET /v5/agencies',
  // Inferred from the scheme of the documented iam:agencies:detachPolicyV5 (docs/sources.md).
  permission: 'iam:agencies:listV5',
  mutating: false,
  params: z.object({
    query: z.object({
      path_prefix: PATH_PREFIX_FIELD,
      ...PAGE_FIELDS,
    }),
  }),
  handle({ query }, context) {
    const account = accountOf(context);
    const agencies = account.agencies
      .map((a) => ({
        agency_id: a.agencyId,
        agency_name: a.name,
        urn: `iam::${context.caller.account}:agency:${a.name}`,
        path: '',
      }))
      .filter((a) => query.path_prefix === undefined || a.path.startsWith(query.path_prefix));
    const { page: items, pageInfo } = paginate(agencies, (a) => a.agency_id, query);
    return { agencies: items, page_info: pageInfo };
  },
});
