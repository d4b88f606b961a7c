import type { RulesFile } from '../../shared/config/rules';
import { requestIdentity } from '../../shared/engine/idempotency';
import { activeExemption } from '../../shared/engine/rules';
import type { DeadLetterReason } from '../../shared/outcomes';
import { ALL_OPERATIONS } from '../../shared/providers/all';
import { ATTACHMENT_LISTERS } from '../../shared/providers/listers';
import type { ListedAttachment, ListingResult } from '../../shared/providers/listing';
import { operationFor } from '../../shared/providers/operations';
import type { ProviderContext } from '../../shared/providers/types';
import {
  type OperationName,
  operationOf,
  type Provider,
  parseRequest,
  type RemediationRequest,
  targetOf,
} from '../../shared/requests';

/**
 * What a request would do if run now: `detach`/`delete` (a call would be made), `compliant` (nothing to
 * remove), `exempt`, `blocked` (the cloud would refuse it: last policy, attached elsewhere), `unknown` (the
 * current state could not be read, so the run would try), `invalid` (a line --skip-invalid leaves out).
 */
export type PlanAction = 'detach' | 'delete' | 'compliant' | 'exempt' | 'blocked' | 'unknown' | 'invalid';

export interface PlanEntry {
  line: number;
  action: PlanAction;
  operation: OperationName | 'invalid';
  target: string;
  /** One readable sentence: "would detach … from … in …", "blocked: …". */
  text: string;
  /** The dead-letter reason the run would end in, for blocked lines. */
  reason?: DeadLetterReason;
}

export interface Plan {
  entries: PlanEntry[];
  /** Listing notes and failures: a plan read from an incomplete listing says so. */
  notes: string[];
}

export type PlanLine =
  | { number: number; ok: true; request: RemediationRequest }
  | { number: number; ok: false; field: string; rule: string };

/**
 * Reads the current state of every cloud the lines touch with the list calls `scan` uses (read-only: no
 * mutating call), then says what each line would do, in file order, so that two lines taking the last
 * two policies off one target show the second as blocked.
 */
export async function makePlan(
  lines: readonly PlanLine[],
  rules: RulesFile,
  contextFor: (provider: Provider) => ProviderContext,
  now: Date,
): Promise<Plan> {
  const providers = [...new Set(lines.flatMap((l) => (l.ok ? [l.request.provider] : [])))];
  const listings = new Map<Provider, ListingResult>();
  await Promise.all(
    providers.map(async (provider) => {
      listings.set(provider, await ATTACHMENT_LISTERS[provider].list(contextFor(provider)));
    }),
  );
  const notes: string[] = [];
  for (const [provider, listing] of listings) {
    notes.push(...listing.notes.map((n) => `${provider}: ${n}`));
    if (listing.error)
      notes.push(
        `${provider}: the listing failed (${listing.error.code}: ${listing.error.message}); its lines may be wrong`,
      );
  }
  const world = new World(listings);
  const entries: PlanEntry[] = [];
  for (const line of lines) {
    if (!line.ok) {
      entries.push({
        line: line.number,
        action: 'invalid',
        operation: 'invalid',
        target: '-',
        text: `invalid, left out: ${line.field}: ${line.rule}`,
      });
      continue;
    }
    entries.push({ line: line.number, ...(await planOne(line.request, world, rules, contextFor, now)) });
  }
  return { entries, notes };
}

type Decision = Omit<PlanEntry, 'line'>;

async function planOne(
  request: RemediationRequest,
  world: World,
  rules: RulesFile,
  contextFor: (provider: Provider) => ProviderContext,
  now: Date,
): Promise<Decision> {
  const base = { operation: operationOf(request), target: targetOf(request) };
  const exemption = activeExemption(rules, request, now);
  if (exemption)
    return {
      ...base,
      action: 'exempt',
      text: `exempt until ${exemption.expires}: ${exemption.reason} (owner ${exemption.owner})`,
    };
  const listing = world.listings.get(request.provider);
  const what = describe(request, world.find(request)?.names);

  if (request.operation === 'delete-policy') {
    const attached = world.attachmentsOfCustomPolicy(request.policyName);
    if (attached.length > 0 && !request.cascade)
      return {
        ...base,
        action: 'blocked',
        reason: 'attached-elsewhere',
        text: `blocked: ${what} is still attached to ${attached.length} principal${attached.length === 1 ? '' : 's'} (use cascade)`,
      };
    // The listing shows attachments, not policies: whether an unattached policy exists is read directly.
    const read = await operationFor(ALL_OPERATIONS, request)?.stillPresent(
      request,
      contextFor(request.provider),
    );
    if (read?.state === 'absent')
      return { ...base, action: 'compliant', text: `already compliant: ${what} does not exist` };
    for (const a of attached) world.remove(a);
    const cascade = attached.length > 0 ? ` after detaching it from ${attached.length} principals` : '';
    const unknown =
      read?.state === 'unknown' || !read
        ? ` (could not read whether it exists: ${read?.error.code ?? 'no read'})`
        : '';
    return { ...base, action: 'delete', text: `would delete ${what}${cascade}${unknown}` };
  }

  const listed = world.find(request);
  if (!listed) {
    if (listing?.error)
      return {
        ...base,
        action: 'unknown',
        text: `would detach ${what} if still attached (the ${request.provider} listing failed: ${listing.error.code})`,
      };
    return { ...base, action: 'compliant', text: `already compliant: ${what} is not attached` };
  }
  if (world.isLastPolicy(request)) {
    const strategy = (rules.lastPolicy as Partial<Record<Provider, unknown>>)[request.provider];
    if (typeof strategy === 'object' && strategy !== null && 'replaceWith' in strategy) {
      world.remove(listed);
      return {
        ...base,
        action: 'detach',
        text: `would detach ${what}, attaching the fallback policy ${String(strategy.replaceWith)} first (last policy)`,
      };
    }
    return {
      ...base,
      action: 'blocked',
      reason: 'last-policy',
      text: `blocked: ${what} is the target's last policy (configure lastPolicy.replaceWith, or detach by hand)`,
    };
  }
  world.remove(listed);
  return { ...base, action: 'detach', text: `would detach ${what}` };
}

/** "System policy AdministratorAccess from IMSUser mallory@… in rg-…", with the cloud's names where known. */
function describe(request: RemediationRequest, names: ListedAttachment['names']): string {
  const named = (id: string | number, name: string | undefined) =>
    name && name !== String(id) ? `${id} (${name})` : String(id);
  switch (request.operation) {
    case 'detach-policy':
      if (request.provider === 'alibaba')
        return `${request.policyType} policy ${request.policyName} from ${request.principalType} ${request.principalName} in ${request.resourceGroupId}`;
      return `${request.type === 'TAG_POLICY' ? 'tag' : 'service control'} policy ${named(request.policyId, names?.policy)} from ${request.targetType.toLowerCase()} ${named(request.targetId, names?.target)}`;
    case 'detach-control-policy':
      return `control policy ${named(request.policyId, names?.policy)} from ${named(request.targetId, names?.target)}`;
    case 'delete-policy':
      return `Custom policy ${request.policyName}`;
    case 'detach-agency-policy':
      return `policy ${named(request.policyId, names?.policy)} from agency ${named(request.agencyId, names?.target)}`;
  }
}

/** The attachments read from the clouds, updated as the plan takes them off, in file order. */
class World {
  private readonly present = new Map<string, { listed: ListedAttachment; request: RemediationRequest }>();

  constructor(readonly listings: ReadonlyMap<Provider, ListingResult>) {
    for (const listing of listings.values()) {
      for (const listed of listing.attachments) {
        const parsed = parseRequest(listed.request);
        // What no request can name, no line can act on: it only counts as "another policy" below.
        if (parsed.ok) this.present.set(requestIdentity(parsed.request), { listed, request: parsed.request });
      }
    }
  }

  find(request: RemediationRequest): ListedAttachment | undefined {
    return this.present.get(requestIdentity(request))?.listed;
  }

  remove(listed: ListedAttachment): void {
    const parsed = parseRequest(listed.request);
    if (parsed.ok) this.present.delete(requestIdentity(parsed.request));
  }

  attachmentsOfCustomPolicy(policyName: string): ListedAttachment[] {
    return this.all()
      .filter(
        ({ request: r }) =>
          r.provider === 'alibaba' &&
          r.operation === 'detach-policy' &&
          r.policyType === 'Custom' &&
          r.policyName === policyName,
      )
      .map(({ listed }) => listed);
  }

  /**
   * Whether the request takes the last policy a target must keep: Alibaba's Resource Directory keeps at
   * least one control policy on every target (NotSupport.DetachLastControlPolicy); Tencent's keeps one
   * service control policy (FailedOperation.OrganizationDetachLastPolicyError), tag policies excepted.
   */
  isLastPolicy(request: RemediationRequest): boolean {
    const others = this.all().filter(({ request: r }) => {
      if (request.provider === 'alibaba' && request.operation === 'detach-control-policy')
        return (
          r.provider === 'alibaba' &&
          r.operation === 'detach-control-policy' &&
          r.targetId === request.targetId
        );
      if (request.provider === 'tencent' && request.type === 'SERVICE_CONTROL_POLICY')
        return (
          r.provider === 'tencent' &&
          r.type === 'SERVICE_CONTROL_POLICY' &&
          r.targetId === request.targetId &&
          r.targetType === request.targetType
        );
      return false;
    });
    return others.length === 1;
  }

  private all() {
    return [...this.present.values()];
  }
}

/** "3 to detach, 1 to delete, 2 blocked, 1 already compliant, 1 exempt". */
export function planSummary(plan: Plan): { counts: Record<PlanAction, number>; text: string } {
  const counts: Record<PlanAction, number> = {
    detach: 0,
    delete: 0,
    blocked: 0,
    unknown: 0,
    compliant: 0,
    exempt: 0,
    invalid: 0,
  };
  for (const entry of plan.entries) counts[entry.action]++;
  const words: Record<PlanAction, string> = {
    detach: 'to detach',
    delete: 'to delete',
    blocked: 'blocked',
    unknown: 'state unknown',
    compliant: 'already compliant',
    exempt: 'exempt',
    invalid: 'invalid',
  };
  const parts = (Object.keys(words) as PlanAction[])
    .filter((action) => counts[action] > 0 || action === 'detach')
    .map((action) => `${counts[action]} ${words[action]}`);
  return { counts, text: parts.join(', ') };
}

/** The plan as a person reads it: one line per request, then the summary. */
export function humanPlan(plan: Plan): string[] {
  const width = String(Math.max(0, ...plan.entries.map((e) => e.line))).length;
  return [
    ...plan.entries.map((e) => `line ${String(e.line).padStart(width)}  ${e.text}`),
    ...plan.notes.map((n) => `note: ${n}`),
    '',
    `Plan: ${planSummary(plan).text}.`,
  ];
}
