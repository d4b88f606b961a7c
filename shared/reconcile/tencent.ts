import type { AuditHint } from '../events/types';
import { type ListedAttachment, readPages } from '../providers/listing';
import { type OrganizationClient, organizationClient } from '../providers/tencent/client';
import { tencentError } from '../providers/tencent/errors';
import type { ProviderContext } from '../providers/types';
import { MAX_PAGES, type TargetRead } from './types';

const PAGE_SIZE = 200;
const POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'] as const;
type PolicyType = (typeof POLICY_TYPES)[number];
/** ListTargetsForPolicy's `RelatedType`: 1 a department (node), 2 a member. */
const TARGET_TYPES: Readonly<Record<number, 'NODE' | 'MEMBER'>> = { 1: 'NODE', 2: 'MEMBER' };

type TencentHint = Extract<AuditHint, { provider: 'tencent' }>;

const nextPage = (page: number, total: number | undefined, got: number) =>
  (total === undefined ? got === PAGE_SIZE : page * PAGE_SIZE < total) ? page + 1 : undefined;

function targetsOf(client: OrganizationClient, policyId: number, type: PolicyType, notes: string[]) {
  return readPages(
    1,
    async (page) => {
      const response = await client.ListTargetsForPolicy({
        PolicyId: policyId,
        PolicyType: type,
        Rp: PAGE_SIZE,
        Page: page,
      });
      const items = response.List ?? [];
      return { items, next: nextPage(page, response.TotalNum, items.length) };
    },
    MAX_PAGES,
    `tencent ListTargetsForPolicy ${policyId}`,
    notes,
  );
}

function policiesOf(client: OrganizationClient, targetId: number, type: PolicyType, notes: string[]) {
  return readPages(
    1,
    async (page) => {
      const response = await client.ListPoliciesForTarget({
        TargetId: targetId,
        PolicyType: type,
        Rp: PAGE_SIZE,
        Page: page,
      });
      const items = response.List ?? [];
      return { items, next: nextPage(page, response.TotalNum, items.length) };
    },
    MAX_PAGES,
    `tencent ListPoliciesForTarget ${targetId}`,
    notes,
  );
}

const listed = (
  policyId: number,
  targetId: number,
  targetType: 'NODE' | 'MEMBER',
  type: PolicyType,
  names: ListedAttachment['names'],
): ListedAttachment => ({
  request: { provider: 'tencent', operation: 'detach-policy', policyId, targetId, targetType, type },
  names,
});

/**
 * Organization: the policies bound to the target (ListPoliciesForTarget, per policy type), or, when the event
 * names only the policy, its targets (ListTargetsForPolicy). The target's kind, when the event does not say it,
 * is what ListTargetsForPolicy reports for it (RelatedType). A policy type the organization has not enabled
 * holds nothing.
 */
export async function readTencentTarget(hint: AuditHint, context: ProviderContext): Promise<TargetRead> {
  if (hint.provider !== 'tencent')
    return { ok: true, attachments: [], notes: [`not a Tencent hint: ${hint.provider}`] };
  const client = organizationClient(context);
  const notes: string[] = [];
  const attachments: ListedAttachment[] = [];
  for (const type of hint.type ? [hint.type] : POLICY_TYPES) {
    try {
      attachments.push(...(await readType(client, hint, type, notes)));
    } catch (error) {
      const failure = tencentError(error);
      if (failure.errorClass === 'policy-type-disabled' || failure.errorClass === 'already-gone') {
        notes.push(`tencent: nothing of ${type} read (${failure.code})`);
        continue;
      }
      return { ok: false, error: failure };
    }
  }
  return { ok: true, attachments, notes };
}

async function readType(
  client: OrganizationClient,
  hint: TencentHint,
  type: PolicyType,
  notes: string[],
): Promise<ListedAttachment[]> {
  if (hint.targetId === undefined) {
    const policyId = hint.policyId as number;
    const targets = await targetsOf(client, policyId, type, notes);
    return targets.flatMap((t) => {
      const kind = TARGET_TYPES[t.RelatedType ?? 0];
      return kind && t.Uin !== undefined ? [listed(policyId, t.Uin, kind, type, { target: t.Name })] : [];
    });
  }
  const targetId = hint.targetId;
  const policies = (await policiesOf(client, targetId, type, notes)).filter(
    (p) => p.StrategyId !== undefined && (hint.policyId === undefined || p.StrategyId === hint.policyId),
  );
  const found: ListedAttachment[] = [];
  for (const policy of policies) {
    const policyId = policy.StrategyId as number;
    let kind = hint.targetType;
    if (kind === undefined) {
      const kinds = (await targetsOf(client, policyId, type, notes))
        .filter((t) => t.Uin === targetId)
        .map((t) => TARGET_TYPES[t.RelatedType ?? 0]);
      if (kinds.length !== 1 || kinds[0] === undefined) {
        notes.push(
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
