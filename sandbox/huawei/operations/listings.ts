import type { Operation } from '../../types';
import { iamErrors } from '../errors';
import { accountOf, findAgency, findPolicy } from '../iam/lookup';
import { paginate } from '../paging';
import { optionalEnum, pageQuery, queryOf, requireId } from '../params';
import { pathParams } from '../routes';

// Field names are the SDK models' JSON keys (v5/model/AttachedPolicy, PolicyAgency, Policy, PageInfo).

/** GET /v5/agencies/{agency_id}/attached-policies → {attached_policies, page_info}. */
export const listAttachedAgencyPolicies: Operation = {
  mutating: false,
  handle(request, context) {
    const agencyId = requireId(pathParams(request).agency_id, 'agency_id');
    const page = pageQuery(queryOf(request));
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
    const { page: items, pageInfo } = paginate(attached, (p) => p.policy_id, page);
    return { attached_policies: items, page_info: pageInfo };
  },
};

const ENTITY_TYPES = ['user', 'group', 'agency'] as const;

/**
 * GET /v5/policies/{policy_id}/attached-entities → {policy_agencies, policy_groups, policy_users,
 * page_info}. The sandbox holds no users or groups, so those lists are always empty.
 */
export const listEntitiesForPolicy: Operation = {
  mutating: false,
  handle(request, context) {
    const policyId = requireId(pathParams(request).policy_id, 'policy_id');
    const query = queryOf(request);
    const entityType = optionalEnum(query, 'entity_type', ENTITY_TYPES);
    const page = pageQuery(query);
    const account = accountOf(context);
    findPolicy(account, policyId);
    const agencies =
      entityType === undefined || entityType === 'agency'
        ? account.attachments
            .filter((a) => a.policyId === policyId)
            .map((a) => ({ agency_id: a.agencyId, attached_at: a.attachedAt }))
        : [];
    const { page: items, pageInfo } = paginate(agencies, (a) => a.agency_id, page);
    return {
      ...(entityType === undefined || entityType === 'agency' ? { policy_agencies: items } : {}),
      ...(entityType === undefined || entityType === 'group' ? { policy_groups: [] } : {}),
      ...(entityType === undefined || entityType === 'user' ? { policy_users: [] } : {}),
      page_info: pageInfo,
    };
  },
};

// IamClient.js: path_prefix is segments of letters, digits and . , + @ = _ - each ending in '/'.
const PATH_PREFIX = /^([A-Za-z0-9.,+@=_-]+\/)+$/;

/** GET /v5/policies → {policies, page_info}, filtered by policy_type, path_prefix and only_attached. */
export const listPolicies: Operation = {
  mutating: false,
  handle(request, context) {
    const query = queryOf(request);
    const policyType = optionalEnum(query, 'policy_type', ['custom', 'system'] as const);
    const onlyAttached = optionalEnum(query, 'only_attached', ['true', 'false'] as const) === 'true';
    const pathPrefix = query.get('path_prefix') ?? undefined;
    if (pathPrefix !== undefined && !PATH_PREFIX.test(pathPrefix))
      throw iamErrors.invalidParameter('path_prefix');
    const page = pageQuery(query);
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
    const { page: items, pageInfo } = paginate(policies, (p) => p.policy_id, page);
    return { policies: items, page_info: pageInfo };
  },
};
