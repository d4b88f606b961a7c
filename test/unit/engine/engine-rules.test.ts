import { describe, expect, it } from 'vitest';
import { idempotencyKey } from '../../../shared/engine/idempotency';
import { ACCOUNT, CONTEXT, detach, failure, fakeWorld, success } from '../../helpers/fake-engine';

/** A reset or a time-out: no HTTP status, so the call may have landed. */
const lostAnswer = {
  ok: false as const,
  error: { ...failure('transient', 'ECONNRESET').error, httpStatus: undefined },
};

// The engine's rules with a fake operation, a memory store and a fake clock: no SDK, no sandbox, no
// network, no waiting. The same rules against the real SDKs and the sandbox: test/integration/engine/.

const AUDIT_RULES = `
version: 1
rules:
  - id: no-deny-cam
    provider: tencent
    operation: detach-policy
    when: { policyId: 7 }
breaker:
  audit: { maxActions: 2, window: 10m }
  explicit: { maxActions: 3, window: 10m }
`;

describe('idempotency: at-least-once delivery, one effect', () => {
  it('a redelivered event answers the stored outcome, marked duplicate, without a second call', async () => {
    const world = fakeWorld();
    const first = await world.engine.handle(detach(7), world.delivery('evt-1'));
    const again = await world.engine.handle(detach(7), world.delivery('evt-1'));
    expect(first).toMatchObject({ status: 'detached', attempts: 1 });
    expect(again).toMatchObject({ status: 'detached', duplicate: true });
    expect(world.operation.detaches).toBe(1);
  });

  it('another event for the same target is a new order', async () => {
    const world = fakeWorld();
    await world.engine.handle(detach(7), world.delivery('evt-1'));
    await world.engine.handle(detach(7), world.delivery('evt-2'));
    expect(world.operation.detaches).toBe(2);
  });

  it('concurrent deliveries of one event make one call; the other waits for a redelivery', async () => {
    const world = fakeWorld();
    const [a, b] = await Promise.all([
      world.engine.handle(detach(7), world.delivery('evt-1')),
      world.engine.handle(detach(7), world.delivery('evt-1')),
    ]);
    expect([a.status, b.status].sort()).toEqual(['detached', 'retry-later']);
    expect(world.operation.detaches).toBe(1);
  });

  it('a claim held elsewhere is honoured until its lease ends on the clock, then taken over', async () => {
    const world = fakeWorld();
    // A crashed instance's claim: a lease of 1 s from now.
    const key = idempotencyKey('evt-2', detach(8));
    await world.store.claim(key, 'crashed-instance', 1_000, world.clock.now());
    const blocked = await world.engine.handle(detach(8), world.delivery('evt-2'));
    expect(blocked).toMatchObject({
      status: 'retry-later',
      hint: expect.stringMatching(/claimed elsewhere/),
    });
    world.clock.advance(1_001);
    expect(await world.engine.handle(detach(8), world.delivery('evt-2'))).toMatchObject({
      status: 'detached',
    });
  });

  it('retry-later gives the claim back: the redelivery acts', async () => {
    const world = fakeWorld({ answers: [failure('transient', 'InternalError', 500)] });
    const onPlatform = world.delivery('evt-1', { onPlatform: true, deadline: world.clock.now() + 2_000 });
    expect(await world.engine.handle(detach(7), onPlatform)).toMatchObject({ status: 'retry-later' });
    world.operation.answers = [success];
    const redelivered = await world.engine.handle(detach(7), {
      ...onPlatform,
      deadline: world.clock.now() + 60_000,
    });
    expect(redelivered).toMatchObject({ status: 'detached' });
  });
});

describe('retries by error class', () => {
  it('transient failures are retried with backoff on the clock, within the deadline', async () => {
    const world = fakeWorld({ answers: [failure('transient'), failure('transient'), success] });
    const started = world.clock.now();
    const outcome = await world.engine.handle(detach(7), world.delivery('evt-1'));
    expect(outcome).toMatchObject({ status: 'detached', attempts: 3 });
    // Full jitter at random() = 0.5: half of 200 ms, then half of 400 ms.
    expect(world.clock.now() - started).toBe(300);
  });

  it('still transient at the deadline: retry-later on a platform, dead-lettered off it', async () => {
    const transient = [failure('transient', 'InternalError', 500)];
    const platform = fakeWorld({ answers: transient });
    const onIt = await platform.engine.handle(
      detach(7),
      platform.delivery('evt-1', { onPlatform: true, deadline: platform.clock.now() + 1_000 }),
    );
    expect(onIt.status).toBe('retry-later');
    const cli = fakeWorld({ answers: transient });
    const offIt = await cli.engine.handle(
      detach(7),
      cli.delivery('evt-1', { deadline: cli.clock.now() + 1_000 }),
    );
    expect(offIt).toMatchObject({ status: 'dead-lettered', reason: 'retry-budget-exhausted' });
  });

  it('a permission error is not retried: dead-lettered with the permissions the operation needs', async () => {
    const world = fakeWorld({ answers: [failure('permission', 'UnauthorizedOperation', 403)] });
    const outcome = await world.engine.handle(detach(7), world.delivery('evt-1'));
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'permission', attempts: 1 });
    expect(outcome.hint).toContain('organization:DetachPolicy');
  });

  it.each([
    ['conflict', 'conflict', 10],
    ['resource-group-status', 'resource-group-status', 10],
    ['delete-conflict', 'attached-elsewhere', 1],
    ['invalid-input', 'invalid-input', 1],
    ['policy-type-disabled', 'policy-type-disabled', 1],
    ['permanent', 'unknown-error', 1],
  ] as const)('%s → dead-lettered %s after %i attempt(s)', async (errorClass, reason, attempts) => {
    const world = fakeWorld({ answers: [failure(errorClass)] });
    const outcome = await world.engine.handle(
      detach(7),
      world.delivery('evt-1', { deadline: world.clock.now() + 3_600_000 }),
    );
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason, attempts });
    expect(outcome.deadLetterId).toBeDefined();
  });

  it('already gone is compliance, not a failure', async () => {
    const world = fakeWorld({ answers: [failure('already-gone', 'ResourceNotFound.PolicyNotExist', 400)] });
    expect(await world.engine.handle(detach(7), world.delivery('evt-1'))).toMatchObject({
      status: 'already-compliant',
      attempts: 1,
    });
  });

  it('an ambiguous answer reads the truth: gone means compliant', async () => {
    const world = fakeWorld({
      answers: [failure('ambiguous', 'FailedOperation.OrganizationDetachPolicyError')],
    });
    world.operation.presence = { state: 'absent' };
    expect(await world.engine.handle(detach(7), world.delivery('evt-1'))).toMatchObject({
      status: 'already-compliant',
    });
    expect(world.operation.calls).toEqual(['detach 7', 'read']);
  });

  it('an ambiguous answer with the attachment still there is retried, then dead-lettered unknown-error', async () => {
    const world = fakeWorld({ answers: [failure('ambiguous', 'Strange.Code')] });
    const outcome = await world.engine.handle(detach(7), world.delivery('evt-1'));
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'unknown-error', attempts: 3 });
  });

  it('a lost answer is checked against the truth before giving up: a call that landed is compliance', async () => {
    const world = fakeWorld({ answers: [lostAnswer] });
    world.operation.presence = { state: 'absent' };
    const outcome = await world.engine.handle(
      detach(7),
      world.delivery('evt-1', { deadline: world.clock.now() + 500 }),
    );
    expect(outcome).toMatchObject({ status: 'already-compliant' });
  });
});

describe('the last-policy strategy', () => {
  const LAST = failure('last-policy', 'FailedOperation.OrganizationDetachLastPolicyError');

  it('by default the last policy is dead-lettered for a person', async () => {
    const world = fakeWorld({ answers: [LAST] });
    world.operation.withFallback();
    const outcome = await world.engine.handle(detach(7), world.delivery('evt-1'));
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'last-policy' });
    expect(outcome.hint).toMatch(/lastPolicy.replaceWith/);
    expect(world.operation.calls).not.toContain('attach 1');
  });

  it('replace-with attaches the fallback, then detaches', async () => {
    const world = fakeWorld({
      answers: [LAST, success],
      rules: 'version: 1\nlastPolicy: { tencent: { replaceWith: "1" } }\n',
    });
    world.operation.withFallback();
    const outcome = await world.engine.handle(detach(7), world.delivery('evt-1'));
    expect(outcome).toMatchObject({ status: 'detached', replacedWith: '1' });
    expect(world.operation.calls).toEqual(['detach 7', 'attach 1', 'detach 7']);
  });

  it('replace-with takes the fallback off again when the detach still fails', async () => {
    const world = fakeWorld({
      answers: [LAST, failure('permission', 'UnauthorizedOperation', 403)],
      rules: 'version: 1\nlastPolicy: { tencent: { replaceWith: "1" } }\n',
    });
    world.operation.withFallback();
    const outcome = await world.engine.handle(detach(7), world.delivery('evt-1'));
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'permission' });
    expect(world.operation.calls).toEqual(['detach 7', 'attach 1', 'detach 7', 'detach-fallback 1']);
  });

  it('an operation without a fallback dead-letters even with a strategy configured', async () => {
    const world = fakeWorld({
      answers: [LAST],
      rules: 'version: 1\nlastPolicy: { tencent: { replaceWith: "1" } }\n',
    });
    expect(await world.engine.handle(detach(7), world.delivery('evt-1'))).toMatchObject({
      reason: 'last-policy',
    });
  });
});

describe('the circuit breaker', () => {
  it('audit enforcement stops at its budget; the window passing on the clock opens it again', async () => {
    const world = fakeWorld({ rules: AUDIT_RULES });
    const audit = (id: string) => world.delivery(id, { trigger: 'audit-log', explicit: false });
    const outcomes = [];
    for (const id of ['a1', 'a2', 'a3'])
      outcomes.push(await world.engine.handle(detach(7, Number(id.slice(1))), audit(id)));
    expect(outcomes.map((o) => o.status)).toEqual(['detached', 'detached', 'dead-lettered']);
    expect(outcomes[2]).toMatchObject({ reason: 'circuit-open' });
    expect(outcomes[2]?.hint).toContain(`tencent account ${ACCOUNT}`);
    world.clock.advance(10 * 60_000 + 1);
    expect(await world.engine.handle(detach(7, 4), audit('a4'))).toMatchObject({ status: 'detached' });
  });

  it('explicit orders draw on their own budget', async () => {
    const world = fakeWorld({ rules: AUDIT_RULES });
    for (const id of ['a1', 'a2'])
      await world.engine.handle(
        detach(7, Number(id.slice(1))),
        world.delivery(id, { trigger: 'audit-log', explicit: false }),
      );
    const order = await world.engine.handle(detach(9), world.delivery('q-1'));
    expect(order).toMatchObject({ status: 'detached' });
  });

  it('a call that found nothing to change gives its slot back', async () => {
    const world = fakeWorld({
      rules: AUDIT_RULES,
      answers: [failure('already-gone', 'ResourceNotFound.PolicyNotExist')],
    });
    for (let i = 1; i <= 5; i++)
      expect((await world.engine.handle(detach(9, i), world.delivery(`q-${i}`))).status).toBe(
        'already-compliant',
      );
    world.operation.answers = [success];
    expect(await world.engine.handle(detach(9, 6), world.delivery('q-6'))).toMatchObject({
      status: 'detached',
    });
  });

  it('a run cap (--max) only tightens the budget', async () => {
    const world = fakeWorld({ maxActions: 1 });
    expect((await world.engine.handle(detach(9, 1), world.delivery('q-1'))).status).toBe('detached');
    expect(await world.engine.handle(detach(9, 2), world.delivery('q-2'))).toMatchObject({
      status: 'dead-lettered',
      reason: 'circuit-open',
      hint: expect.stringContaining('--max 1'),
    });
  });
});

describe('rules, exemptions and the account', () => {
  it('an audit event acts only where a rule selects the request', async () => {
    const world = fakeWorld({ rules: AUDIT_RULES });
    const audit = world.delivery('a1', { trigger: 'audit-log', explicit: false });
    expect(await world.engine.handle(detach(8), audit)).toMatchObject({
      status: 'skipped',
      hint: 'no rule selects this request',
    });
    expect(world.operation.calls).toEqual([]);
  });

  it('an exemption holds through its last day on the clock and not after', async () => {
    const rules = `version: 1
exemptions:
  - when: { policyId: 7 }
    reason: break-glass
    owner: secops@corp.example
    expires: '2026-06-01'
`;
    const world = fakeWorld({ rules });
    expect(await world.engine.handle(detach(7), world.delivery('q-1'))).toMatchObject({ status: 'skipped' });
    world.clock.advance(24 * 3_600_000);
    expect(await world.engine.handle(detach(7), world.delivery('q-2'))).toMatchObject({ status: 'detached' });
  });

  it('the account is asked once per credential; a request naming another account is refused', async () => {
    const world = fakeWorld();
    await world.engine.handle(detach(7), world.delivery('q-1'));
    await world.engine.handle(detach(8), world.delivery('q-2'));
    expect(world.cloud.accountAsks).toBe(1);
    const other = await world.engine.handle({ ...detach(9), account: '999' }, world.delivery('q-3'));
    expect(other).toMatchObject({ status: 'dead-lettered', reason: 'invalid-input' });
    expect(world.operation.detaches).toBe(2);
  });

  it('the account the platform states is used as it is', async () => {
    const world = fakeWorld();
    const stated = world.delivery('q-1', { context: { ...CONTEXT, account: ACCOUNT } });
    await world.engine.handle(detach(7), stated);
    expect(world.cloud.accountAsks).toBe(0);
  });

  it('a request for a cloud this deployment does not carry is refused before any call', async () => {
    const world = fakeWorld();
    const huawei = {
      provider: 'huawei',
      operation: 'detach-agency-policy',
      policyId: 'p-1',
      agencyId: 'a-1',
    } as const;
    expect(await world.engine.handle(huawei, world.delivery('q-1'))).toMatchObject({
      status: 'dead-lettered',
      reason: 'invalid-input',
      hint: expect.stringMatching(/not in this deployment/),
    });
    expect(world.cloud.accountAsks).toBe(0);
  });
});

describe('dead letters and dry-run', () => {
  it('a dead letter keeps what a redrive needs, with the secrets removed', async () => {
    const world = fakeWorld({
      answers: [
        { ok: false, error: { ...failure('permission').error, message: 'refused planted-secret-value' } },
      ],
    });
    const outcome = await world.engine.handle(detach(7), world.delivery('q-1'));
    const stored = await world.store.getDeadLetter(outcome.deadLetterId as string);
    const text = JSON.stringify(stored);
    expect(stored?.record).toMatchObject({
      source: 'queue',
      eventId: 'q-1',
      reason: 'permission',
      request: detach(7),
    });
    expect(text).not.toContain('planted-secret-value');
    expect(text).not.toContain('planted-token');
  });

  it('invalid input is dead-lettered once per event, as it came', async () => {
    const world = fakeWorld();
    const first = await world.engine.handleInput(
      { provider: 'tencent', operation: 'detach-policy' },
      world.delivery('q-1'),
    );
    const again = await world.engine.handleInput(
      { provider: 'tencent', operation: 'detach-policy' },
      world.delivery('q-1'),
    );
    expect(first).toMatchObject({
      status: 'dead-lettered',
      reason: 'invalid-input',
      hint: expect.stringMatching(/^policyId: /),
    });
    expect(again).toMatchObject({ duplicate: true, deadLetterId: first.deadLetterId });
    expect(await world.store.countDeadLetters()).toBe(1);
  });

  it('dry-run reads only and records nothing: a later real delivery still acts', async () => {
    const dry = fakeWorld({ dryRun: true });
    expect(await dry.engine.handle(detach(7), dry.delivery('q-1'))).toMatchObject({
      status: 'skipped',
      hint: 'dry-run: would detach the policy',
    });
    expect(dry.operation.calls).toEqual(['read']);
    const world = fakeWorld();
    await world.engine.handle({ ...detach(7), dryRun: true }, world.delivery('q-1'));
    expect(await world.engine.handle(detach(7), world.delivery('q-1'))).toMatchObject({ status: 'detached' });
    expect(world.operation.detaches).toBe(1);
  });
});
