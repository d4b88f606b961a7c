import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../shared/config/load-rules';
import type { RulesFile } from '../../../shared/config/rules';
import type { AuditHint, AuditParse } from '../../../shared/events/types';
import type { Outcome } from '../../../shared/outcomes';
import type { ListedAttachment } from '../../../shared/providers/listing';
import type { ErrorClass } from '../../../shared/providers/types';
import { reconcileAuditRecord } from '../../../shared/reconcile/audit';
import type { TargetRead } from '../../../shared/reconcile/types';
import type { RemediationRequest } from '../../../shared/requests';
import { SANDBOX_CREDENTIALS } from '../../helpers/engine';

/** The reconcile step of the audit-log function, against a stub cloud and a recording engine. */

const RULES: RulesFile = parseRules(
  JSON.stringify({
    version: 1,
    rules: [
      {
        id: 'no-full',
        provider: 'huawei',
        operation: 'detach-agency-policy',
        when: { policyId: '*full-access' },
      },
    ],
    exemptions: [
      {
        rule: 'no-full',
        when: { agencyId: 'migration' },
        reason: 'window',
        owner: 'o@x',
        expires: '2099-01-01',
      },
    ],
  }),
);

const attached = (policyId: string, agencyId: string): ListedAttachment => ({
  request: { provider: 'huawei', operation: 'detach-agency-policy', policyId, agencyId },
});

function harness(read: TargetRead) {
  const handled: RemediationRequest[] = [];
  const refused: { input: unknown; hint: string; reason?: string }[] = [];
  const outcome = (status: Outcome['status']): Outcome => ({
    status,
    operation: 'invalid',
    target: '-',
    attempts: 0,
    durationMs: 0,
  });
  const engine = {
    handle: async (request: RemediationRequest) => {
      handled.push(request);
      return outcome('detached');
    },
    handleInput: async (input: unknown, _d: unknown, r?: { hint: string; reason?: string }) => {
      refused.push({ input, ...(r as { hint: string }) });
      return outcome('dead-lettered');
    },
  };
  const reads: AuditHint[] = [];
  const run = (parse: Exclude<AuditParse, { kind: 'ignored' }>) =>
    reconcileAuditRecord(parse, {
      engine,
      rules: RULES,
      read: async (hint) => {
        reads.push(hint);
        return read;
      },
      context: { credentials: SANDBOX_CREDENTIALS, timeoutMs: 1_000 },
      deadline: Date.now() + 5_000,
      logger: pino({ level: 'silent' }),
    });
  return { run, handled, refused, reads };
}

const hint = (fields: Partial<Extract<AuditHint, { provider: 'huawei' }>>): AuditParse => ({
  kind: 'hint',
  eventId: 'e-1',
  hint: { provider: 'huawei', operation: 'detach-agency-policy', ...fields },
});

const ok = (...attachments: ListedAttachment[]): TargetRead => ({ ok: true, attachments, notes: [] });
const failed = (errorClass: ErrorClass): TargetRead => ({
  ok: false,
  error: { provider: 'huawei', errorClass, code: 'X', message: 'm' },
});

describe('reconcileAuditRecord', () => {
  it('a target-wide hint acts on what a rule selects (and the exempt, which the engine skips), not on the rest', async () => {
    const h = harness(
      ok(
        attached('a-full-access', 'ci'),
        attached('b-readonly', 'ci'),
        attached('c-full-access', 'migration'),
      ),
    );
    await h.run(hint({ agency: 'ci' }) as Exclude<AuditParse, { kind: 'ignored' }>);
    expect(h.handled.map((r) => `${(r as { policyId: string }).policyId}`)).toEqual([
      'a-full-access',
      'c-full-access',
    ]);
    expect(h.handled[0]).toMatchObject({ source: 'huawei:cts', eventId: 'e-1' });
  });

  it('a hint naming one attachment acts only when the cloud lists it', async () => {
    const gone = harness(ok());
    const outcomes = await gone.run(hint({ agency: 'ci', policyId: 'a-full-access' }) as never);
    expect(outcomes).toEqual([expect.objectContaining({ status: 'already-compliant', attempts: 0 })]);
    expect(gone.handled).toHaveLength(0);
    const there = harness(ok(attached('a-full-access', 'ci')));
    await there.run(hint({ agency: 'ci', policyId: 'a-full-access' }) as never);
    expect(there.handled).toHaveLength(1);
  });

  it('a compliant attachment the event names reaches the engine, which answers it is selected by no rule', async () => {
    const h = harness(ok(attached('b-readonly', 'ci')));
    await h.run(hint({ agency: 'ci', policyId: 'b-readonly' }) as never);
    expect(h.handled).toHaveLength(1);
  });

  it('maps a failed read: gone → already-compliant, transient → retry-later, permission → dead letter', async () => {
    expect((await harness(failed('already-gone')).run(hint({ agency: 'x' }) as never))[0]?.status).toBe(
      'already-compliant',
    );
    expect((await harness(failed('transient')).run(hint({ agency: 'x' }) as never))[0]?.status).toBe(
      'retry-later',
    );
    const denied = harness(failed('permission'));
    await denied.run(hint({ agency: 'x' }) as never);
    expect(denied.refused).toEqual([
      expect.objectContaining({ reason: 'permission', hint: expect.stringMatching(/^reading huawei/) }),
    ]);
  });

  it('dead-letters an unreadable record with its reason, without reading the cloud', async () => {
    const h = harness(ok());
    await h.run({ kind: 'unreadable', eventId: 'e-2', reason: 'names nothing', record: { a: 1 } });
    expect(h.refused).toEqual([{ input: { a: 1 }, hint: 'event: names nothing' }]);
    expect(h.reads).toHaveLength(0);
  });
});
