import {
  type AttachmentLister,
  DEFAULT_LISTING_LIMITS,
  type ListedAttachment,
  type ListingResult,
  readPages,
} from '../listing';
import type { ProviderContext } from '../types';
import { organizationClient } from './client';
import { tencentError } from './errors';

/** Organization list calls take `Rp` from 1 to 200. */
const PAGE_SIZE = 200;
const POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'] as const;
/** ListTargetsForPolicy's `RelatedType`: 1 a department (node), 2 a member. */
const TARGET_TYPES: Readonly<Record<number, 'NODE' | 'MEMBER'>> = { 1: 'NODE', 2: 'MEMBER' };

/** What `remediate scan` calls on Tencent Cloud: a read-only scan role needs exactly these. */
export const SCAN_PERMISSIONS = ['organization:ListPolicies', 'organization:ListTargetsForPolicy'] as const;

const nextPage = (page: number, total: number | undefined, got: number) =>
  (total === undefined ? got === PAGE_SIZE : page * PAGE_SIZE < total) ? page + 1 : undefined;

/**
 * Every binding of the organization's service control and tag policies: ListPolicies per policy type,
 * then ListTargetsForPolicy per policy. A policy type the organization has not enabled is skipped.
 */
export const listAttachments: AttachmentLister = {
  permissions: SCAN_PERMISSIONS,

  async list(context, limits = DEFAULT_LISTING_LIMITS): Promise<ListingResult> {
    const attachments: ListedAttachment[] = [];
    const notes: string[] = [];
    for (const type of POLICY_TYPES) {
      try {
        attachments.push(...(await bindingsOf(type, context, limits.maxPages, notes)));
      } catch (error) {
        const failure = tencentError(error);
        if (failure.errorClass !== 'policy-type-disabled') return { attachments, notes, error: failure };
        notes.push(`tencent: ${type} is not enabled in the organization, so it has no bindings to scan`);
      }
    }
    return { attachments, notes };
  },
};

async function bindingsOf(
  type: (typeof POLICY_TYPES)[number],
  context: ProviderContext,
  maxPages: number,
  notes: string[],
): Promise<ListedAttachment[]> {
  const client = organizationClient(context);
  const policies = await readPages(
    1,
    async (page) => {
      const response = await client.ListPolicies({ PolicyType: type, Rp: PAGE_SIZE, Page: page });
      const items = response.List ?? [];
      return { items, next: nextPage(page, response.TotalNum, items.length) };
    },
    maxPages,
    `tencent ListPolicies ${type}`,
    notes,
  );
  const found: ListedAttachment[] = [];
  for (const policy of policies) {
    if (policy.PolicyId === undefined || policy.AttachedTimes === 0) continue;
    const targets = await readPages(
      1,
      async (page) => {
        const response = await client.ListTargetsForPolicy({
          PolicyId: policy.PolicyId as number,
          PolicyType: type,
          Rp: PAGE_SIZE,
          Page: page,
        });
        const items = response.List ?? [];
        return { items, next: nextPage(page, response.TotalNum, items.length) };
      },
      maxPages,
      `tencent ListTargetsForPolicy ${policy.PolicyId}`,
      notes,
    );
    for (const target of targets) {
      const targetType = TARGET_TYPES[target.RelatedType ?? 0];
      if (!targetType) {
        notes.push(
          `tencent: policy ${policy.PolicyId} is bound to ${target.Uin} of an unknown kind (${target.RelatedType}); left out`,
        );
        continue;
      }
      found.push({
        request: {
          provider: 'tencent',
          operation: 'detach-policy',
          policyId: policy.PolicyId,
          targetId: target.Uin,
          targetType,
          type,
        },
        names: { policy: policy.PolicyName, target: target.Name },
      });
    }
  }
  return found;
}
