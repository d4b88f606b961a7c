import { ListEntitiesForPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListEntitiesForPolicyV5Request';
import { ListPoliciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListPoliciesV5Request';
import {
  type AttachmentLister,
  DEFAULT_LISTING_LIMITS,
  type ListedAttachment,
  type ListingLimits,
  type ListingResult,
  paced,
  readPages,
} from '../listing';
import type { ProviderContext } from '../types';
import { iamClient } from './client';
import { huaweiError } from './errors';

/** IAM v5 lists take `limit` from 1 to 200 and page with `marker`. */
const PAGE_SIZE = 200;

/** What `remediate scan` calls on Huawei Cloud: a read-only scan role needs exactly these. */
export const SCAN_PERMISSIONS = ['iam:policies:listV5', 'iam:policies:listEntitiesV5'] as const;

/** The SDK resolves with the raw JSON bodies (snake_case keys), not its camelCase model classes. */
interface PoliciesPage {
  policies?: { policy_id?: string; policy_name?: string }[];
  page_info?: { next_marker?: string | null };
}
interface EntitiesPage {
  policy_agencies?: { agency_id?: string }[];
  page_info?: { next_marker?: string | null };
}

/**
 * The identity policies attached to agencies (the only principals an operation detaches from):
 * ListPoliciesV5 with only_attached, then ListEntitiesForPolicyV5 (entity_type agency) per policy.
 */
export const listAttachments: AttachmentLister = {
  permissions: SCAN_PERMISSIONS,

  async list(context, limits = DEFAULT_LISTING_LIMITS): Promise<ListingResult> {
    const attachments: ListedAttachment[] = [];
    const notes: string[] = [];
    try {
      attachments.push(...(await agencyAttachments(context, limits, notes)));
    } catch (error) {
      return { attachments, notes, error: huaweiError(error) };
    }
    return { attachments, notes };
  },
};

async function agencyAttachments(context: ProviderContext, limits: ListingLimits, notes: string[]) {
  const client = iamClient(context);
  const { maxPages } = limits;
  // The cursor is the marker; '' is the first page.
  const policies = await readPages(
    '',
    async (marker) => {
      let query = new ListPoliciesV5Request().withLimit(PAGE_SIZE).withOnlyAttached(true);
      if (marker) query = query.withMarker(marker);
      const body = (await paced(limits, 'huawei', 'ListPoliciesV5', () =>
        client.listPoliciesV5(query),
      )) as unknown as PoliciesPage;
      return { items: body.policies ?? [], next: body.page_info?.next_marker || undefined };
    },
    maxPages,
    'huawei ListPoliciesV5',
    notes,
  );
  const found: ListedAttachment[] = [];
  for (const policy of policies) {
    if (!policy.policy_id) continue;
    const policyId = policy.policy_id;
    const agencies = await readPages(
      '',
      async (marker) => {
        let query = new ListEntitiesForPolicyV5Request(policyId)
          .withEntityType('agency')
          .withLimit(PAGE_SIZE);
        if (marker) query = query.withMarker(marker);
        const body = (await paced(limits, 'huawei', 'ListEntitiesForPolicyV5', () =>
          client.listEntitiesForPolicyV5(query),
        )) as unknown as EntitiesPage;
        return { items: body.policy_agencies ?? [], next: body.page_info?.next_marker || undefined };
      },
      maxPages,
      `huawei ListEntitiesForPolicyV5 ${policyId}`,
      notes,
    );
    for (const agency of agencies) {
      found.push({
        request: {
          provider: 'huawei',
          operation: 'detach-agency-policy',
          policyId,
          agencyId: agency.agency_id,
        },
        names: { policy: policy.policy_name },
      });
    }
  }
  return found;
}
