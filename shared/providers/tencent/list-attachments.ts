import {
  type AttachmentLister,
  DEFAULT_LISTING_LIMITS,
  type ListedAttachment,
  type ListingLimits,
  type ListingResult,
  paced,
  readPages,
} from '../listing';
import type { ProviderContext, ProviderError } from '../types';
import { type OrganizationClient, organizationClient } from './client';
import { tencentError } from './errors';

/** Organization list calls take `Rp` from 1 to 200. */
const PAGE_SIZE = 200;
export const POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];
type TargetType = 'NODE' | 'MEMBER';
/** ListTargetsForPolicy's `RelatedType`: 1 a department (node), 2 a member. */
const TARGET_TYPES: Readonly<Record<number, TargetType>> = { 1: 'NODE', 2: 'MEMBER' };

/** What `remediate scan` calls on Tencent Cloud: a read-only scan role needs exactly these. */
export const SCAN_PERMISSIONS = ['organization:ListPolicies', 'organization:ListTargetsForPolicy'] as const;

const nextPage = (page: number, total: number | undefined, got: number) =>
  (total === undefined ? got === PAGE_SIZE : page * PAGE_SIZE < total) ? page + 1 : undefined;

/** The list calls of one listing: one client, the page bound, the pacing, the notes for the reader. */
interface Reading {
  client: OrganizationClient;
  limits: ListingLimits;
  notes: string[];
}

/** One Organization list call, in its turn under its API's rate limit (when the caller paces). */
function pacedCall<T>(reading: Reading, api: string, call: () => Promise<T>): Promise<T> {
  return paced(reading.limits, 'tencent', api, call);
}

/** Every page of one Organization list call, each call paced under its API's limit. */
function allPages<T>(
  reading: Reading,
  api: string,
  what: string | number,
  call: (page: number) => Promise<{ List?: T[]; TotalNum?: number }>,
) {
  return readPages(
    1,
    async (page) => {
      const response = await pacedCall(reading, api, () => call(page));
      const items = response.List ?? [];
      return { items, next: nextPage(page, response.TotalNum, items.length) };
    },
    reading.limits.maxPages,
    `tencent ${api} ${what}`,
    reading.notes,
  );
}

const policiesOfType = (reading: Reading, type: PolicyType) =>
  allPages(reading, 'ListPolicies', type, (page) =>
    reading.client.ListPolicies({ PolicyType: type, Rp: PAGE_SIZE, Page: page }),
  );

const targetsOf = (reading: Reading, policyId: number, type: PolicyType) =>
  allPages(reading, 'ListTargetsForPolicy', policyId, (page) =>
    reading.client.ListTargetsForPolicy({ PolicyId: policyId, PolicyType: type, Rp: PAGE_SIZE, Page: page }),
  );

const policiesOf = (reading: Reading, targetId: number, type: PolicyType) =>
  allPages(reading, 'ListPoliciesForTarget', targetId, (page) =>
    reading.client.ListPoliciesForTarget({ TargetId: targetId, PolicyType: type, Rp: PAGE_SIZE, Page: page }),
  );

const listed = (
  policyId: number,
  targetId: number,
  targetType: TargetType,
  type: PolicyType,
  names: ListedAttachment['names'],
): ListedAttachment => ({
  request: { provider: 'tencent', operation: 'detach-policy', policyId, targetId, targetType, type },
  names,
});

/**
 * Every binding of the organization's service control and tag policies: ListPolicies per policy type,
 * then ListTargetsForPolicy per policy. A policy type the organization has not enabled is skipped.
 */
export const listAttachments: AttachmentLister = {
  permissions: SCAN_PERMISSIONS,

  async list(context, limits = DEFAULT_LISTING_LIMITS): Promise<ListingResult> {
    const attachments: ListedAttachment[] = [];
    const reading: Reading = { client: organizationClient(context), limits, notes: [] };
    for (const type of POLICY_TYPES) {
      try {
        attachments.push(...(await bindingsOf(reading, type)));
      } catch (error) {
        const failure = tencentError(error);
        if (failure.errorClass !== 'policy-type-disabled')
          return { attachments, notes: reading.notes, error: failure };
        reading.notes.push(
          `tencent: ${type} is not enabled in the organization, so it has no bindings to scan`,
        );
      }
    }
    return { attachments, notes: reading.notes };
  },
};

async function bindingsOf(reading: Reading, type: PolicyType): Promise<ListedAttachment[]> {
  const found: ListedAttachment[] = [];
  for (const policy of await policiesOfType(reading, type)) {
    if (policy.PolicyId === undefined || policy.AttachedTimes === 0) continue;
    for (const target of await targetsOf(reading, policy.PolicyId, type)) {
      const targetType = TARGET_TYPES[target.RelatedType ?? 0];
      if (!targetType) {
        reading.notes.push(
          `tencent: policy ${policy.PolicyId} is bound to ${target.Uin} of an unknown kind (${target.RelatedType}); left out`,
        );
        continue;
      }
      found.push(
        listed(policy.PolicyId, target.Uin as number, targetType, type, {
          policy: policy.PolicyName,
          target: target.Name,
        }),
      );
    }
  }
  return found;
}

/** One target's bindings, or one policy's when no target is named; the type when known, else every type. */
export interface TencentTargetFilter {
  targetId?: number | undefined;
  targetType?: TargetType | undefined;
  policyId?: number | undefined;
  type?: PolicyType | undefined;
}

/**
 * The bindings of one target (ListPoliciesForTarget, per policy type; only the named policy's when a policy
 * is named), or of one policy when no target is named (ListTargetsForPolicy). A target's kind, when not
 * given, is what ListTargetsForPolicy reports for it (RelatedType). A policy type the organization has not
 * enabled, or a target or policy that is gone, holds nothing (a note says so). The policy types are read
 * side by side: on a cold start each is a round trip the invocation waits for.
 */
export async function listTargetAttachments(
  context: ProviderContext,
  filter: TencentTargetFilter,
  limits: ListingLimits = DEFAULT_LISTING_LIMITS,
): Promise<ListingResult> {
  const client = organizationClient(context);
  const types = filter.type ? [filter.type] : POLICY_TYPES;
  const reads = await Promise.all(
    types.map(async (type) => {
      const reading: Reading = { client, limits, notes: [] };
      try {
        return { type, reading, found: await bindingsOfTarget(reading, filter, type) };
      } catch (error) {
        return { type, reading, error: tencentError(error) };
      }
    }),
  );
  const attachments: ListedAttachment[] = [];
  const notes: string[] = [];
  let failed: ProviderError | undefined;
  for (const { type, reading, found, error } of reads) {
    if (failed) break;
    notes.push(...reading.notes);
    if (found) attachments.push(...found);
    else if (error?.errorClass === 'policy-type-disabled' || error?.errorClass === 'already-gone')
      notes.push(`tencent: nothing of ${type} read (${error.code})`);
    else failed = error;
  }
  return failed ? { attachments, notes, error: failed } : { attachments, notes };
}

async function bindingsOfTarget(
  reading: Reading,
  filter: TencentTargetFilter,
  type: PolicyType,
): Promise<ListedAttachment[]> {
  if (filter.targetId === undefined) {
    const policyId = filter.policyId as number;
    const targets = await targetsOf(reading, policyId, type);
    return targets.flatMap((t) => {
      const kind = TARGET_TYPES[t.RelatedType ?? 0];
      return kind && t.Uin !== undefined ? [listed(policyId, t.Uin, kind, type, { target: t.Name })] : [];
    });
  }
  const targetId = filter.targetId;
  const policies = (await policiesOf(reading, targetId, type)).filter(
    (p) => p.StrategyId !== undefined && (filter.policyId === undefined || p.StrategyId === filter.policyId),
  );
  const found: ListedAttachment[] = [];
  for (const policy of policies) {
    const policyId = policy.StrategyId as number;
    let kind = filter.targetType;
    if (kind === undefined) {
      const kinds = (await targetsOf(reading, policyId, type))
        .filter((t) => t.Uin === targetId)
        .map((t) => TARGET_TYPES[t.RelatedType ?? 0]);
      if (kinds.length !== 1 || kinds[0] === undefined) {
        reading.notes.push(
          `tencent: policy ${policyId} on ${targetId}: its kind (node or member) could not be read; left`,
        );
        continue;
      }
      kind = kinds[0];
    }
    found.push(listed(policyId, targetId, kind, type, { policy: policy.StrategyName }));
  }
  return found;
}
