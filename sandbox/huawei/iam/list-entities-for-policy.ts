import { z } from 'zod';
import { huaweiApi, id, optionalEnum, PAGE_FIELDS } from '../api';
import { paginate } from '../paging';
import { accountOf, findPolicy } from './lookup';

const ENTITY_TYPES = ['user', 'group', 'agency'] as const;

/**
 * GET /v5/policies/{policy_id}/attached-entities → {policy_agencies, policy_groups, policy_users,
 * page_info} (the SDK models' JSON keys). The sandbox holds no users or groups: those lists stay empty.
 */
export const listEntitiesForPolicy = huaweiApi({
  action: 'ListEntitiesForPolicyV5',
  path: 'GET /v5/policies/{policy_id}/attached-entities',
  permission: 'iam:policies:listEntitiesV5',
  mutating: false,
  params: z.object({
    path: z.object({ policy_id: id('policy_id') }),
    query: z.object({ entity_type: optionalEnum('entity_type', ENTITY_TYPES), ...PAGE_FIELDS }),
  }),
  handle({ path, query }, context) {
    const policyId = path.policy_id;
    const entityType = query.entity_type;
    const account = accountOf(context);
    findPolicy(account, policyId);
    const agencies =
      entityType === undefined || entityType === 'agency'
        ? account.attachments
            .filter((a) => a.policyId === policyId)
            .map((a) => ({ agency_id: a.agencyId, attached_at: a.attachedAt }))
        : [];
    const { page: items, pageInfo } = paginate(agencies, (a) => a.agency_id, query);
    return {
      ...(entityType === undefined || entityType === 'agency' ? { policy_agencies: items } : {}),
      ...(entityType === undefined || entityType === 'group' ? { policy_groups: [] } : {}),
      ...(entityType === undefined || entityType === 'user' ? { policy_users: [] } : {}),
      page_info: pageInfo,
    };
  },
});
