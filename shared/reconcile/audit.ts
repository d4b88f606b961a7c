import type { RulesFile } from '../config/rules';
import type { Delivery } from '../engine/delivery';
import type { Engine } from '../engine/engine';
import type { AuditHint, AuditParse } from '../events/types';
import type { Logger } from '../logger';
import type { DeadLetterReason, Outcome } from '../outcomes';
import type { ErrorClass, ProviderContext } from '../providers/types';
import type { OperationName, Provider } from '../requests';
import { evaluate, type Finding } from './evaluate';
import type { TargetReader } from './types';

/** The `source` of the requests an audit event leads to, per cloud (the audit trail that delivered it). */
const TRIGGERS: Readonly<Record<Provider, string>> = {
  alibaba: 'alibaba:actiontrail',
  tencent: 'tencent:cloudaudit',
  huawei: 'huawei:cts',
};

export interface ReconcileDeps {
  engine: Pick<Engine, 'handle' | 'handleInput'>;
  rules: RulesFile;
  read: TargetReader;
  context: ProviderContext;
  deadline: number;
  logger: Logger;
  now?: Date;
}

/** Whether the hint names both sides of one attachment (then only that attachment is read and acted on). */
export function namesOneAttachment(hint: AuditHint): boolean {
  switch (hint.provider) {
    case 'alibaba':
      return hint.operation === 'detach-policy'
        ? hint.policyName !== undefined && (hint.principalName ?? hint.principalShortName) !== undefined
        : hint.policyId !== undefined;
    case 'tencent':
      return hint.targetId !== undefined && hint.policyId !== undefined;
    case 'huawei':
      return hint.agency !== undefined && hint.policyId !== undefined;
  }
}

/** The hint, readable: `alibaba/detach-policy resourceGroupId=rg-1 policyName=AdministratorAccess`. */
export function describeHint(hint: AuditHint): string {
  const { provider, operation, ...fields } = hint;
  const named = Object.entries(fields).map(([key, value]) => `${key}=${String(value)}`);
  return [`${provider}/${operation}`, ...named].join(' ');
}

// Read failures a later delivery may not meet: the platform redelivers the event.
const PASSING: readonly ErrorClass[] = ['transient', 'ambiguous', 'conflict', 'resource-group-status'];
const READ_REASONS: Partial<Record<ErrorClass, DeadLetterReason>> = {
  permission: 'permission',
  'policy-type-disabled': 'policy-type-disabled',
  'invalid-input': 'invalid-input',
};

/**
 * One audit record (docs/ARCHITECTURE.md, The request flow): the target it names is read from the cloud, the
 * rules are evaluated against each attachment read (the same `evaluate` as `scan`), and the engine acts on
 * those a rule selects, one idempotency key per event and attachment. A record naming no readable target is
 * dead-lettered with itself.
 */
export async function reconcileAuditRecord(
  parse: Exclude<AuditParse, { kind: 'ignored' }>,
  deps: ReconcileDeps,
): Promise<Outcome[]> {
  const delivery: Delivery = {
    trigger: 'audit-log',
    eventId: parse.eventId,
    explicit: false,
    deadline: deps.deadline,
    context: deps.context,
    onPlatform: true,
  };
  if (parse.kind === 'unreadable')
    return [await deps.engine.handleInput(parse.record, delivery, { hint: `event: ${parse.reason}` })];

  const { hint } = parse;
  const operation = `${hint.provider}/${hint.operation}` as OperationName;
  const target = describeHint(hint);
  const plain = (status: Outcome['status'], text: string): Outcome => ({
    status,
    operation,
    target,
    hint: text,
    attempts: 0,
    durationMs: 0,
  });
  const read = await deps.read(hint, deps.context);
  if (!read.ok) {
    const { errorClass, code, message } = read.error;
    const why = `reading ${target}: ${code}: ${message.slice(0, 300)}`;
    if (errorClass === 'already-gone') return [plain('already-compliant', `${why} (the target is gone)`)];
    if (PASSING.includes(errorClass)) return [plain('retry-later', why)];
    return [
      await deps.engine.handleInput(hint, delivery, {
        hint: why,
        reason: READ_REASONS[errorClass] ?? 'unknown-error',
      }),
    ];
  }
  for (const note of read.notes) deps.logger.warn({ eventId: parse.eventId, note }, 'audit reconcile note');
  const one = namesOneAttachment(hint);
  if (one && read.attachments.length === 0)
    return [plain('already-compliant', 'not attached now (the cloud lists no such attachment)')];

  const now = deps.now ?? new Date();
  const outcomes: Outcome[] = [];
  for (const listed of read.attachments) {
    const finding = evaluate(listed, deps.rules, now);
    if (!acts(finding, one)) {
      deps.logger.debug(
        { eventId: parse.eventId, finding: finding.status, target: finding.target },
        'left as is',
      );
      continue;
    }
    if (finding.status === 'unsupported') {
      outcomes.push(plain('skipped', `the cloud holds ${finding.field}: ${finding.problem}`));
      continue;
    }
    const request = { ...finding.request, source: TRIGGERS[hint.provider], eventId: parse.eventId };
    outcomes.push(await deps.engine.handle(request, delivery));
  }
  return outcomes;
}

/**
 * What reaches the engine: what a rule selects (the engine checks rules and exemptions again, so an exempt
 * attachment is answered `skipped` with its exemption); everything read for an event naming one attachment.
 */
const acts = (finding: Finding, one: boolean): boolean =>
  one || finding.status === 'non-compliant' || finding.status === 'exempt';
