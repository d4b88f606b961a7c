/**
 * The soak checker: judges the driver's facts against the invariants of issue 6 and docs/ARCHITECTURE.md
 * (Error classes, Safety) and prints a summary a reviewer can read. Every invariant broken is one line in
 * `violations`.
 */
import type { CallRecord } from '../../sandbox/calls';
import { type AdversarialFacts, judgeAdversarial, renderAdversarial } from './adversarial';
import type { SoakFacts } from './driver';
import type { InstanceRecord } from './pass';
import { type SoakCase, stillPresent, type Target } from './world';

export interface SoakSummary {
  requests: number;
  byCloud: Record<string, number>;
  permanent: number;
  state: string;
  workers: number;
  seconds: { total: number; dryRun: number; soak: number };
  requestsPerSecond: number;
  copies: number;
  deliveries: number;
  batches: SoakFacts['main']['batches'];
  duplicatesAnswered: number;
  batchErrors: Record<string, number>;
  kills: number;
  restarts: number;
  platformTimeouts: number;
  /** Kills after a call that changed a target and before its outcome was logged; and how many a redelivery called again. */
  killsBetweenCallAndRecord: number;
  killsThenCalledAgain: number;
  calls: { total: number; mutating: number; applied: number; logged: number };
  faults: { total: number; share: number; byKind: Record<string, number> };
  outcomes: Record<string, number>;
  deadLetters: { total: number; byReason: Record<string, number>; duplicates: number };
  exhaustedRedrivable: number;
  lost: number;
  wrongDeadLetters: number;
  secondMutatingCalls: { total: number; afterLostResponse: number; afterKill: number; unexplained: number };
  secretHits: number;
  scanned: { logLines: number; deadLetters: number; outcomes: number };
  log: SoakFacts['log'];
  dryRun: { requests: number; outcomes: Record<string, number>; mutatingCalls: number };
  adversarial: AdversarialFacts;
  finished: boolean;
}

export interface SoakVerdict {
  summary: SoakSummary;
  violations: string[];
  text: string;
}

const DONE = new Set(['detached', 'deleted', 'already-compliant']);
const MAX_LISTED = 10;

export function checkSoak(facts: SoakFacts): SoakVerdict {
  const violations: string[] = [];
  const fail = (what: string, examples: string[] = []) =>
    violations.push(examples.length ? `${what}: ${examples.slice(0, MAX_LISTED).join('; ')}` : what);
  const { cases, finalWorld } = facts;
  const present = cases.map((c) => stillPresent(finalWorld, c.target));

  // Outcomes: every request settled, each as its construction says.
  const outcomes: Record<string, number> = {};
  const lost: string[] = [];
  const wrong: string[] = [];
  let exhausted = 0;
  const letterKeys = new Map<string, number>();
  for (const letter of facts.deadLetters) {
    const key = (letter.record as { idempotencyKey?: string }).idempotencyKey ?? '';
    letterKeys.set(key, (letterKeys.get(key) ?? 0) + 1);
  }
  cases.forEach((c, i) => {
    const stored = facts.stored[i];
    const name = describe(c);
    if (stored?.kind !== 'completed') {
      outcomes.unsettled = (outcomes.unsettled ?? 0) + 1;
      if (!letterKeys.has(facts.identities[i]?.key ?? '')) lost.push(`${name} (${stored?.detail})`);
      return;
    }
    const { status, reason } = stored.outcome;
    outcomes[status] = (outcomes[status] ?? 0) + 1;
    if (DONE.has(status)) {
      if (c.permanent) wrong.push(`${name} ended ${status}, expected dead-lettered ${c.permanent}`);
      if (present[i]) wrong.push(`${name} ended ${status} but is still there`);
    } else if (status === 'dead-lettered') {
      if (!present[i]) wrong.push(`${name} dead-lettered ${reason} though it is gone`);
      else if (c.permanent && reason !== c.permanent)
        wrong.push(`${name} dead-lettered ${reason}, expected ${c.permanent}`);
      else if (!c.permanent && reason === 'retry-budget-exhausted') exhausted++;
      else if (!c.permanent) wrong.push(`${name} dead-lettered ${reason}`);
    } else {
      wrong.push(`${name} stored ${status}`);
    }
    if (c.permanent && !present[i]) wrong.push(`${name} (permanent by construction) is gone`);
  });
  if (lost.length) fail(`${lost.length} requests lost (no outcome, no dead letter)`, lost);
  if (wrong.length) fail(`${wrong.length} requests ended wrongly`, wrong);

  // Dead letters: one per dead-lettered request, none for a request whose target is gone.
  const caseByKey = new Map(facts.identities.map((id, i) => [id.key, i]));
  const byReason: Record<string, number> = {};
  const wrongLetters: string[] = [];
  for (const letter of facts.deadLetters) {
    const record = letter.record as { idempotencyKey: string; reason: string };
    byReason[record.reason] = (byReason[record.reason] ?? 0) + 1;
    const index = caseByKey.get(record.idempotencyKey);
    const c = index === undefined ? undefined : cases[index];
    if (!c || index === undefined) wrongLetters.push(`dead letter ${letter.id} of no request`);
    else if (!present[index])
      wrongLetters.push(`${describe(c)} has a ${record.reason} dead letter but is gone`);
  }
  const duplicateLetters = [...letterKeys.values()].reduce((sum, n) => sum + n - 1, 0);
  if (wrongLetters.length) fail(`${wrongLetters.length} wrong dead letters`, wrongLetters);

  // Second mutating calls on a target already changed: only after a lost response or a kill.
  const second = secondCalls(facts);
  if (second.unexplained.length)
    fail(`${second.unexplained.length} unexplained second mutating calls`, second.unexplained);

  const faults: Record<string, number> = {};
  for (const call of facts.calls) if (call.fault) faults[call.fault] = (faults[call.fault] ?? 0) + 1;
  const faultTotal = Object.values(faults).reduce((a, b) => a + b, 0);

  if (facts.secretHits.length)
    fail(
      `${facts.secretHits.length} planted-secret hits`,
      facts.secretHits.map((h) => `${h.source}: …${h.excerpt}…`),
    );
  if (facts.dry.mutatingCalls > 0) fail(`the dry-run pass made ${facts.dry.mutatingCalls} mutating calls`);
  const { environment, flag } = facts.dry;
  const dryOutcomes: Record<string, number> = {};
  for (const [status, n] of [...Object.entries(environment.replies), ...Object.entries(flag.replies)])
    dryOutcomes[status] = (dryOutcomes[status] ?? 0) + (n ?? 0);
  const dryNotSkipped = facts.dry.requests - (dryOutcomes.skipped ?? 0);
  if (dryNotSkipped !== 0 || !environment.finished || !flag.finished)
    fail(`${dryNotSkipped} dry-run requests did not end skipped`);
  if (!facts.main.finished) fail(`not every request settled within ${facts.options.maxDurationMs / 1000} s`);
  if (facts.callTotals.total > facts.calls.length)
    fail(
      `the sandbox call log dropped ${facts.callTotals.total - facts.calls.length} calls: second calls unchecked`,
    );

  const byCloud: Record<string, number> = {};
  for (const c of cases) byCloud[c.cloud] = (byCloud[c.cloud] ?? 0) + 1;
  const summary: SoakSummary = {
    requests: cases.length,
    byCloud,
    permanent: cases.filter((c) => c.permanent).length,
    state: facts.options.state.replace(/^sqlite:.*/, 'sqlite'),
    workers: facts.options.workers,
    seconds: {
      total: round(facts.durationMs / 1000),
      dryRun: round(Math.max(environment.durationMs, flag.durationMs) / 1000),
      soak: round(facts.main.durationMs / 1000),
    },
    requestsPerSecond: round(cases.length / (facts.main.durationMs / 1000)),
    copies: facts.main.copies,
    deliveries: facts.main.deliveries,
    batches: facts.main.batches,
    duplicatesAnswered: facts.main.duplicates,
    batchErrors: facts.main.errors,
    kills: facts.main.kills,
    restarts: facts.main.restarts,
    platformTimeouts: facts.main.timeouts,
    killsBetweenCallAndRecord: second.killsBetweenCallAndRecord,
    killsThenCalledAgain: second.killsThenCalledAgain,
    calls: {
      total: facts.callTotals.total,
      mutating: facts.callTotals.mutating,
      applied: facts.callTotals.applied,
      logged: facts.calls.length,
    },
    faults: { total: faultTotal, share: round(faultTotal / Math.max(1, facts.calls.length)), byKind: faults },
    outcomes,
    deadLetters: { total: facts.deadLetters.length, byReason, duplicates: duplicateLetters },
    exhaustedRedrivable: exhausted,
    lost: lost.length,
    wrongDeadLetters: wrongLetters.length,
    secondMutatingCalls: {
      total: second.total,
      afterLostResponse: second.afterLostResponse,
      afterKill: second.afterKill,
      unexplained: second.unexplained.length,
    },
    secretHits: facts.secretHits.length,
    scanned: {
      logLines: facts.log.lines,
      deadLetters: facts.deadLetters.length,
      outcomes: facts.stored.length,
    },
    log: facts.log,
    dryRun: {
      requests: facts.dry.requests,
      outcomes: dryOutcomes,
      mutatingCalls: facts.dry.mutatingCalls,
    },
    finished: facts.main.finished,
    adversarial: facts.adversarial,
  };
  for (const violation of judgeAdversarial(facts.adversarial)) fail(violation);
  return { summary, violations, text: render(summary, violations) };
}

/** One mutating call's target, in the same words as a case's target (others by their parameters). */
export function callTarget(call: CallRecord): string {
  const p = (call.params ?? {}) as Record<string, unknown>;
  const key = `${call.cloud}:${call.action}`;
  if (key === 'alibaba:DetachPolicy')
    return `alibaba-attachment|${p.ResourceGroupId}|${p.PolicyType}|${p.PolicyName}|${p.PrincipalType}|${p.PrincipalName}`;
  if (key === 'alibaba:DeletePolicy') return `alibaba-policy|${p.PolicyName}`;
  if (key === 'alibaba:DetachControlPolicy') return `alibaba-control|${p.PolicyId}|${p.TargetId}`;
  if (key === 'tencent:DetachPolicy') return `tencent-binding|${p.PolicyId}|${p.TargetId}|${p.TargetType}`;
  if (key === 'huawei:DetachAgencyPolicyV5') return `huawei-attachment|${p.policy_id}|${p.agency_id}`;
  return `${key}|${JSON.stringify(p)}`;
}

function targetKey(t: Target): string {
  switch (t.kind) {
    case 'alibaba-attachment':
      return `${t.kind}|${t.resourceGroupId}|${t.policyType}|${t.policyName}|${t.principalType}|${t.principalName}`;
    case 'alibaba-policy':
      return `${t.kind}|${t.policyName}`;
    case 'alibaba-control':
      return `${t.kind}|${t.policyId}|${t.targetId}`;
    case 'tencent-binding':
      return `${t.kind}|${t.policyId}|${t.targetId}|${t.targetType}`;
    case 'huawei-attachment':
      return `${t.kind}|${t.policyId}|${t.agencyId}`;
  }
}

/**
 * After the first call that changed a target, any further mutating call on it is a second call. It is
 * explained when the instance that made the first call was killed before recording it (and before the
 * second call), or when the first call's response was lost (drop-after: the caller never learned it landed).
 */
function secondCalls(facts: SoakFacts) {
  const slotOfKey = new Map<string, string>();
  for (const [slot, byCloud] of Object.entries(facts.keys))
    for (const key of Object.values(byCloud)) slotOfKey.set(key.accessKeyId, slot);
  const instanceOf = (call: CallRecord): InstanceRecord | undefined => {
    const slot = slotOfKey.get(call.accessKeyId);
    const at = Date.parse(call.at);
    return facts.instances.find(
      (i) => i.slot === slot && i.startedAt <= at && (i.endedAt === undefined || at <= i.endedAt),
    );
  };
  const caseByTarget = new Map(facts.cases.map((c, i) => [targetKey(c.target), i]));
  const groups = new Map<string, CallRecord[]>();
  for (const call of facts.calls) {
    if (!call.mutating) continue;
    const key = callTarget(call);
    groups.set(key, [...(groups.get(key) ?? []), call]);
  }
  let total = 0;
  let afterLostResponse = 0;
  let afterKill = 0;
  const unexplained: string[] = [];
  const killedBeforeRecord = new Set<string>();
  const killedThenCalledAgain = new Set<string>();
  for (const [target, calls] of groups) {
    calls.sort((a, b) => a.seq - b.seq);
    const first = calls.find((c) => c.applied);
    if (!first) continue;
    const instance = instanceOf(first);
    const index = caseByTarget.get(target);
    const eventId = index === undefined ? undefined : facts.identities[index]?.eventId;
    // Killed before it logged the request's outcome (or, for a cascade's inner call, killed at all).
    const killed =
      instance?.killedAt !== undefined && !(eventId && facts.settledBy.get(eventId)?.has(instance.id));
    if (killed && eventId) killedBeforeRecord.add(`${instance?.id} ${target}`);
    for (const later of calls.filter((c) => c.seq > first.seq)) {
      total++;
      if (killed && (instance?.killedAt ?? Infinity) <= Date.parse(later.at)) {
        afterKill++;
        if (eventId) killedThenCalledAgain.add(`${instance?.id} ${target}`);
      } else if (first.fault === 'drop-after') afterLostResponse++;
      else
        unexplained.push(
          `${target}: applied #${first.seq} by ${instance?.id ?? first.accessKeyId} at ${first.at}, ` +
            `again #${later.seq} (${later.code ?? 'applied'}) by ${instanceOf(later)?.id ?? later.accessKeyId} at ${later.at}`,
        );
    }
  }
  return {
    total,
    afterLostResponse,
    afterKill,
    unexplained,
    killsBetweenCallAndRecord: killedBeforeRecord.size,
    killsThenCalledAgain: killedThenCalledAgain.size,
  };
}

function describe(c: SoakCase): string {
  return `#${c.index} ${targetKey(c.target)}`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function list(counts: Record<string, number | undefined>): string {
  const entries = Object.entries(counts).filter(([, n]) => n);
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(', ') : 'none';
}

export function render(s: SoakSummary, violations: string[]): string {
  const pct = (n: number, of: number) => `${of ? ((100 * n) / of).toFixed(1) : '0.0'} %`;
  const lines = [
    `soak: ${s.requests} requests (${list(s.byCloud)}; ${s.permanent} permanent by construction), ` +
      `${s.workers} workers on ${s.state}`,
    `  time                ${s.seconds.total} s in all (dry-run ${s.seconds.dryRun} s, soak ${s.seconds.soak} s): ` +
      `${s.requestsPerSecond} requests/s`,
    `  deliveries          ${s.copies} copies (1-3 per request) -> ${s.deliveries} deliveries in ${s.batches.sent} batches: ` +
      `${s.batches.ok} acknowledged, ${s.batches.failed} failed (${list(s.batchErrors)}), ${s.batches.lost} lost with a killed instance`,
    `  duplicates          ${s.duplicatesAnswered} deliveries answered from the store without a call`,
    `  processes           ${s.kills} SIGKILLs at random points, ${s.platformTimeouts} platform time-outs, ${s.restarts} restarts; ` +
      `${s.killsBetweenCallAndRecord} kills fell after a call that changed a target and before its outcome was logged ` +
      `(${s.killsThenCalledAgain} of them before the outcome was stored: the redelivery called again)`,
    `  cloud calls         ${s.calls.total} (${s.calls.mutating} mutating, ${s.calls.applied} applied)`,
    `  faults injected     ${s.faults.total} = ${pct(s.faults.total, s.calls.logged)} of calls: ${list(s.faults.byKind)}`,
    `  final outcomes      ${list(s.outcomes)}`,
    `  dead letters        ${s.deadLetters.total}: ${list(s.deadLetters.byReason)}` +
      `${s.deadLetters.duplicates ? ` (${s.deadLetters.duplicates} second records of one request)` : ''}; ` +
      `${s.exhaustedRedrivable} remediable requests out of retry budget (redrivable)`,
    `  lost                ${s.lost}`,
    `  wrong dead letters  ${s.wrongDeadLetters} (dead letters for requests whose target is gone)`,
    `  second mut. calls   ${s.secondMutatingCalls.total}: ${s.secondMutatingCalls.afterLostResponse} after a lost response (drop-after), ` +
      `${s.secondMutatingCalls.afterKill} after a kill between call and record, ${s.secondMutatingCalls.unexplained} unexplained`,
    `  planted secret      ${s.secretHits} hits in ${s.scanned.logLines} output lines, ${s.scanned.deadLetters} dead letters, ` +
      `${s.scanned.outcomes} stored outcomes`,
    `  dry-run pass        ${s.dryRun.requests} requests (half under REMEDIATE_DRY_RUN, half with "dryRun": true): ` +
      `${list(s.dryRun.outcomes)}; ${s.dryRun.mutatingCalls} mutating calls`,
    ...renderAdversarial(s.adversarial),
    `  output              ${s.log.file} (${s.log.lines} lines, ${s.log.warn} warn, ${s.log.error} error)`,
    violations.length === 0
      ? 'RESULT: PASS (every invariant holds)'
      : `RESULT: FAIL, ${violations.length} invariant(s) broken:\n${violations.map((v) => `  - ${v}`).join('\n')}`,
  ];
  return lines.join('\n');
}
