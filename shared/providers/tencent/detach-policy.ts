import type { TencentDetachPolicy } from '../../requests';
import { withMissing } from '../classify';
import { ABSENT, PRESENT, type Presence, type ProviderOperation } from '../types';
import { organizationClient } from './client';
import { callTencent, tencentError } from './errors';

const PAGE_SIZE = 200;
const MAX_PAGES = 20;

/**
 * What a "gone" code says does not exist: the policy, the department (node) or the member. A policy
 * that exists but is not bound there is FailedOperation.OrganizationDetachPolicyError, which names nothing.
 */
function missingOf(code: string, request: TencentDetachPolicy): string | undefined {
  if (/^(ResourceNotFound\.Policy(NotExist|IdNotFound)|InvalidParameter\.PolicyIdNotExist)$/.test(code))
    return `policy ${request.policyId}`;
  if (/^(ResourceNotFound|InvalidParameter)\.(Organization)?NodeNotExist$/.test(code))
    return `node ${request.targetId}`;
  if (/^(ResourceNotFound|InvalidParameter)\.(Organization)?MemberNotExist$/.test(code))
    return `member ${request.targetId}`;
  return undefined;
}

/**
 * Unbind a service control or tag policy from a department (NODE) or member: Organization DetachPolicy API
 * page (docs/sources.md, Vendor API pages).
 */
export const detachPolicy: ProviderOperation<TencentDetachPolicy> = {
  effect: 'detach',
  permissions: [
    'organization:DetachPolicy',
    'organization:ListPoliciesForTarget',
    'organization:AttachPolicy',
  ],

  execute: async (request, context) =>
    withMissing(
      await callTencent(() =>
        organizationClient(context).DetachPolicy({
          PolicyId: request.policyId,
          TargetId: request.targetId,
          TargetType: request.targetType,
          Type: request.type,
        }),
      ),
      (code) => missingOf(code, request),
    ),

  async stillPresent(request, context): Promise<Presence> {
    const client = organizationClient(context);
    try {
      for (let page = 1; page <= MAX_PAGES; page++) {
        const response = await client.ListPoliciesForTarget({
          TargetId: request.targetId,
          PolicyType: request.type,
          Rp: PAGE_SIZE,
          Page: page,
        });
        const list = response.List ?? [];
        if (list.some((p) => p.StrategyId === request.policyId)) return PRESENT;
        if (list.length < PAGE_SIZE) return ABSENT;
      }
      return ABSENT;
    } catch (error) {
      const failure = tencentError(error);
      if (failure.errorClass === 'already-gone') return ABSENT;
      return { state: 'unknown', error: failure };
    }
  },

  fallback: {
    attach: (request, fallbackPolicyId, context) =>
      callTencent(() =>
        organizationClient(context).AttachPolicy({
          PolicyId: Number(fallbackPolicyId),
          TargetId: request.targetId,
          TargetType: request.targetType,
          Type: request.type,
        }),
      ),
    detach: (request, fallbackPolicyId, context) =>
      detachPolicy.execute({ ...request, policyId: Number(fallbackPolicyId) }, context),
  },
};
