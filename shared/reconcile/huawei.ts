import { ListAgenciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAgenciesV5Request';
import { ListAttachedAgencyPoliciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAttachedAgencyPoliciesV5Request';
import { ListEntitiesForPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListEntitiesForPolicyV5Request';
import type { AuditHint } from '../events/types';
import { iamClient } from '../providers/huawei/client';
import { huaweiError } from '../providers/huawei/errors';
import { type ListedAttachment, readPages } from '../providers/listing';
import type { ProviderContext } from '../providers/types';
import { MAX_PAGES, type TargetRead } from './types';

const PAGE_SIZE = 200;

// The SDK resolves with the raw JSON bodies (snake_case keys), not its camelCase model classes.
type Client = ReturnType<typeof iamClient>;

async function marked<T>(
  what: string,
  notes: string[],
  call: (marker: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
): Promise<T[]> {
  return readPages('', (marker) => call(marker || undefined), MAX_PAGES, what, notes);
}

async function attachedTo(
  client: Client,
  agencyId: string,
  notes: string[],
): Promise<{ policy_id?: string; policy_name?: string }[]> {
  return marked(`huawei ListAttachedAgencyPoliciesV5 ${agencyId}`, notes, async (marker) => {
    let query = new ListAttachedAgencyPoliciesV5Request().withAgencyId(agencyId).withLimit(PAGE_SIZE);
    if (marker) query = query.withMarker(marker);
    const body = (await client.listAttachedAgencyPoliciesV5(query)) as unknown as {
      attached_policies?: { policy_id?: string; policy_name?: string }[];
      page_info?: { next_marker?: string | null };
    };
    return { items: body.attached_policies ?? [], next: body.page_info?.next_marker || undefined };
  });
}

/** CTS may name the agency by its name: the id of the agency so named, if any. */
async function agencyIdByName(client: Client, name: string, notes: string[]): Promise<string | undefined> {
  const agencies = await marked('huawei ListAgenciesV5', notes, async (marker) => {
    let query = new ListAgenciesV5Request().withLimit(PAGE_SIZE);
    if (marker) query = query.withMarker(marker);
    const body = (await client.listAgenciesV5(query)) as unknown as {
      agencies?: { agency_id?: string; agency_name?: string }[];
      page_info?: { next_marker?: string | null };
    };
    return { items: body.agencies ?? [], next: body.page_info?.next_marker || undefined };
  });
  return agencies.find((a) => a.agency_name === name)?.agency_id;
}

const listed = (policyId: string, agencyId: string, policyName?: string): ListedAttachment => ({
  request: { provider: 'huawei', operation: 'detach-agency-policy', policyId, agencyId },
  names: { policy: policyName },
});

/**
 * IAM v5: the policies attached to the agency (ListAttachedAgencyPoliciesV5), resolving a name to its id when
 * the agency is not found by id; or, when the event names only the policy, the agencies it is attached to.
 */
export async function readHuaweiTarget(hint: AuditHint, context: ProviderContext): Promise<TargetRead> {
  if (hint.provider !== 'huawei')
    return { ok: true, attachments: [], notes: [`not a Huawei hint: ${hint.provider}`] };
  const client = iamClient(context);
  const notes: string[] = [];
  try {
    if (hint.agency === undefined) {
      const policyId = hint.policyId as string;
      const agencies = await marked(`huawei ListEntitiesForPolicyV5 ${policyId}`, notes, async (marker) => {
        let query = new ListEntitiesForPolicyV5Request(policyId)
          .withEntityType('agency')
          .withLimit(PAGE_SIZE);
        if (marker) query = query.withMarker(marker);
        const body = (await client.listEntitiesForPolicyV5(query)) as unknown as {
          policy_agencies?: { agency_id?: string }[];
          page_info?: { next_marker?: string | null };
        };
        return { items: body.policy_agencies ?? [], next: body.page_info?.next_marker || undefined };
      });
      return {
        ok: true,
        attachments: agencies.flatMap((a) => (a.agency_id ? [listed(policyId, a.agency_id)] : [])),
        notes,
      };
    }
    let agencyId = hint.agency;
    let policies: { policy_id?: string; policy_name?: string }[];
    try {
      policies = await attachedTo(client, agencyId, notes);
    } catch (error) {
      if (huaweiError(error).errorClass !== 'already-gone') throw error;
      const byName = await agencyIdByName(client, hint.agency, notes);
      if (byName === undefined) throw error;
      agencyId = byName;
      policies = await attachedTo(client, agencyId, notes);
    }
    const attachments = policies
      .filter(
        (p) => p.policy_id !== undefined && (hint.policyId === undefined || p.policy_id === hint.policyId),
      )
      .map((p) => listed(p.policy_id as string, agencyId, p.policy_name));
    return { ok: true, attachments, notes };
  } catch (error) {
    return { ok: false, error: huaweiError(error) };
  }
}
