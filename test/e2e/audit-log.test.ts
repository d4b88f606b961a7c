import { describe, expect, test } from 'vitest';
import { auditEventFor } from '../../infra/local/platform-events';
import type { Sandbox } from '../../infra/sandbox/server';
import { ATTACH_CALLS, type AttachCall } from './attach-calls';
import { CLOUDS, type Cloud, lastCall, mutatingCalls, type Settlement, STS, useE2E } from './harness';

type Json = Record<string, unknown>;

const e2e = useE2E();

/**
 * A person's attach call, made with the vendor SDK against the sandbox, and the audit record the cloud's
 * audit trail delivers for it (ActionTrail via EventBridge, CloudAudit via EventBridge, CTS), built by the
 * local runtime's feed from the sandbox's own record of the call. The call log is cleared afterwards.
 */
async function attachAndAudit(sandbox: Sandbox, cloud: Cloud, call: AttachCall): Promise<Json> {
  await call.attach(sandbox.url).catch(() => undefined);
  const event = auditEventFor(lastCall(sandbox, cloud, call.action));
  if (!event) throw new Error(`no audit record for ${call.title}`);
  sandbox.calls.clear();
  return event as Json;
}

describe.each(CLOUDS)('audit-log on %s (built bundle)', (cloud) => {
  const scenario = ATTACH_CALLS[cloud];

  test.each(scenario.violations.map((v) => [v.title, v] as const))(
    '%s: read from the cloud, detached once; the same record delivered again makes no second call',
    async (_title, violation) => {
      const { sandbox } = e2e;
      const event = await attachAndAudit(sandbox, cloud, violation);
      expect(violation.present(sandbox)).toBe(true);

      const fn = e2e.warm(cloud, 'audit-log');
      const first = (await fn.invoke(event)) as Settlement;
      expect(first.outcomes).toHaveLength(1);
      expect(first.outcomes[0]).toMatchObject({ status: 'detached', attempts: 1 });
      expect(first.outcomes[0]?.duplicate).toBeUndefined();
      expect(first.counts).toEqual({ detached: 1 });
      expect(violation.present(sandbox)).toBe(false);
      const calls = mutatingCalls(sandbox);
      expect(calls).toHaveLength(1);
      expect(scenario.detachActions).toContain(calls[0]?.action);
      // Signed with the function role's temporary credentials, token included.
      expect(calls[0]).toMatchObject({ applied: true, accessKeyId: STS.accessKeyId });

      // At-least-once delivery: the same record again, to the warm instance and to a cold one sharing the
      // store. The cloud now lists no such attachment, so nothing is called.
      const again = (await fn.invoke(event)) as Settlement;
      const elsewhere = (await e2e.instance(cloud, 'audit-log', fn.state).invoke(event)) as Settlement;
      for (const redelivery of [again, elsewhere]) {
        expect(redelivery.outcomes).toHaveLength(1);
        expect(redelivery.outcomes[0]).toMatchObject({ status: 'already-compliant', attempts: 0 });
      }
      expect(mutatingCalls(sandbox)).toHaveLength(1);
    },
  );

  test('read, detach and failed calls are ignored without any call', async () => {
    const { sandbox } = e2e;
    const [violation] = scenario.violations;
    if (!violation) throw new Error('no violation scenario');
    const attached = await attachAndAudit(sandbox, cloud, violation);
    const failed = await attachAndAudit(sandbox, cloud, scenario.failed);
    expect(failed).toBeDefined();
    const fn = e2e.warm(cloud, 'audit-log');

    // Each is the record of a call a rule would select were it a successful attach: only the kind differs.
    for (const event of [scenario.asRead(attached), scenario.asDetach(attached), failed]) {
      const settlement = (await fn.invoke(event)) as Settlement;
      expect(settlement).toEqual({ outcomes: [], counts: {} });
    }
    expect(sandbox.calls.totals().total).toBe(0);
    expect(violation.present(sandbox)).toBe(true);
  });

  test('an attach call no rule selects is skipped without any mutating call', async () => {
    const { sandbox } = e2e;
    const event = await attachAndAudit(sandbox, cloud, scenario.allowed);
    const settlement = (await e2e.warm(cloud, 'audit-log').invoke(event)) as Settlement;
    expect(settlement.outcomes).toHaveLength(1);
    expect(settlement.outcomes[0]).toMatchObject({ status: 'skipped', hint: 'no rule selects this request' });
    expect(mutatingCalls(sandbox)).toHaveLength(0);
    expect(scenario.allowed.present(sandbox)).toBe(true);
  });

  test('a function deployed without a role fails plainly, before any call', async () => {
    const { sandbox } = e2e;
    const [violation] = scenario.violations;
    if (!violation) throw new Error('no violation scenario');
    const event = await attachAndAudit(sandbox, cloud, violation);
    await expect(e2e.warm(cloud, 'audit-log').invoke(event, { noRole: true })).rejects.toMatchObject({
      name: 'MissingCredentialsError',
      message: expect.stringMatching(
        /gave no credentials: give the function an? (role|execution role|agency)/,
      ),
    });
    expect(sandbox.calls.totals().total).toBe(0);
    expect(violation.present(sandbox)).toBe(true);
  });
});
