import type { Provider } from '../requests';

/**
 * Calls per second per account that each list API of a scan is paced under (docs/sources.md, "List call
 * rate limits"). Tencent documents 20 a second on each Organization API page. Resource Manager and IAM v5
 * publish no figure for these calls, so they get the same 20: under RAM's documented 100 a second for its
 * own List* calls, and low enough that a scan never crowds out the detaches sharing the account.
 */
export const LIST_RATE_LIMITS: Readonly<Record<Provider, Readonly<Record<string, number>>>> = {
  tencent: { ListPolicies: 20, ListTargetsForPolicy: 20, ListPoliciesForTarget: 20 },
  alibaba: {
    ListPolicyAttachments: 20,
    ListControlPolicies: 20,
    ListTargetAttachmentsForControlPolicy: 20,
    ListControlPolicyAttachmentsForTarget: 20,
  },
  huawei: { ListPoliciesV5: 20, ListEntitiesForPolicyV5: 20 },
};

/** A list API missing from the table (a new call not yet looked up) is paced at this rate. */
export const UNLISTED_RATE_LIMIT = 20;

export function listRateLimit(provider: Provider, api: string): number {
  return LIST_RATE_LIMITS[provider][api] ?? UNLISTED_RATE_LIMIT;
}
