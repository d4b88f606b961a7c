import { beforeEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../sandbox/faults';
import { realClock } from '../../../shared/engine/clock';
import { executeRequest } from '../../../shared/engine/execute';
import { SANDBOX_CREDENTIALS, sandboxOptions } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';
import {
  BULK_POLICIES,
  boundTo,
  faultCalls,
  NODE,
  POLICY,
  tencentRequest,
  tencentWorld,
} from './tencent-fixture';

const sandbox = useSandbox(tencentWorld);
const url = () => sandbox.current.url;
const totals = () => sandbox.current.calls.totals();
const detachCalls = () => sandbox.current.calls.list({ action: 'DetachPolicy' });
const denyCam = () => tencentRequest({ policyId: POLICY.denyCam, targetId: NODE.production });
const bulk = (i: number) => tencentRequest({ policyId: POLICY.bulkFirst + i, targetId: NODE.bulk });
/** Real time, but every backoff at the top of its jitter range: waits that are long enough, predictably. */
const highJitter = { ...realClock, random: () => 0.99 };

beforeEach(() => {
  sandbox.current.removeAllListeners('call');
  sandbox.current.reset();
});

describe('tencent RequestLimitExceeded (transient) → retried and detached', () => {
  it(`more than 20 DetachPolicy in a second: the throttled ones back off and all ${BULK_POLICIES} detach`, async () => {
    const options = sandboxOptions(url(), {
      clock: highJitter,
      retryPolicies: { transient: { maxAttempts: 6, baseMs: 400, capMs: 800 } },
    });
    const outcomes = await Promise.all(
      Array.from({ length: BULK_POLICIES }, (_, i) => executeRequest(bulk(i), options)),
    );
    expect(outcomes.map((o) => o.status)).toEqual(Array(BULK_POLICIES).fill('detached'));
    const throttled = detachCalls().filter((c) => c.code === 'RequestLimitExceeded');
    expect(throttled.length).toBeGreaterThanOrEqual(BULK_POLICIES - 20);
    expect(outcomes.filter((o) => o.attempts > 1).length).toBeGreaterThanOrEqual(BULK_POLICIES - 20);
    expect(totals().applied).toBe(BULK_POLICIES);
    expect(boundTo(sandbox.current, NODE.bulk)).toEqual([POLICY.fullAccess]);
  });

  it('the throttle fault: two RequestLimitExceeded, then the third attempt detaches', async () => {
    faultCalls(sandbox.current, 'throttle=1', { times: 2 });
    const outcome = await executeRequest(denyCam(), sandboxOptions(url()));
    expect(outcome).toMatchObject({ status: 'detached', attempts: 3 });
    expect(detachCalls().map((c) => [c.code, c.applied])).toEqual([
      ['RequestLimitExceeded', false],
      ['RequestLimitExceeded', false],
      [undefined, true],
    ]);
    expect(boundTo(sandbox.current, NODE.production)).not.toContain(POLICY.denyCam);
  });
});

describe('tencent InternalError (transient) → retried', () => {
  it('the 5xx fault twice, then detached with exactly one applied call', async () => {
    faultCalls(sandbox.current, '5xx=1', { times: 2 });
    const outcome = await executeRequest(denyCam(), sandboxOptions(url()));
    expect(outcome).toMatchObject({ status: 'detached', attempts: 3 });
    expect(detachCalls().map((c) => c.code)).toEqual(['InternalError', 'InternalError', undefined]);
    expect(totals()).toMatchObject({ mutating: 3, applied: 1 });
  });

  it('a seeded 50% 5xx rate: every request of a batch still detaches once', async () => {
    sandbox.current.faults.set(parseFaultSpec('5xx=0.5,seed=3'));
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await executeRequest(bulk(i), sandboxOptions(url())));
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill('detached'));
    expect(detachCalls().filter((c) => c.code === 'InternalError').length).toBeGreaterThan(0);
    expect(totals().applied).toBe(6);
  });

  it('an InternalError that never clears → dead-lettered retry-budget-exhausted after the transient budget', async () => {
    sandbox.current.faults.set(parseFaultSpec('5xx=1'));
    const outcome = await executeRequest(denyCam(), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'retry-budget-exhausted',
      attempts: 6,
      error: { code: 'InternalError' },
    });
    expect(outcome.hint).toMatch(/InternalError/);
    expect(totals()).toMatchObject({ mutating: 6, applied: 0 });
  });

  it('on a platform, an InternalError still there at the deadline → retry-later', async () => {
    sandbox.current.faults.set(parseFaultSpec('5xx=1'));
    const outcome = await executeRequest(
      denyCam(),
      sandboxOptions(url(), {
        onPlatform: true,
        deadline: Date.now() + 50,
        clock: highJitter,
        retryPolicies: { transient: { maxAttempts: 6, baseMs: 1_000, capMs: 1_000 } },
      }),
    );
    expect(outcome).toMatchObject({ status: 'retry-later', attempts: 1, error: { code: 'InternalError' } });
    expect(totals().applied).toBe(0);
  });

  it('a 5xx on the truth read of an ambiguous error is retried, then read as compliant', async () => {
    faultCalls(sandbox.current, '5xx=1,actions=ListPoliciesForTarget');
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.denyCam, targetId: NODE.lab }),
      sandboxOptions(url()),
    );
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 2,
      error: { code: 'FailedOperation.OrganizationDetachPolicyError' },
    });
    expect(sandbox.current.calls.list().map((c) => [c.action, c.code])).toEqual([
      ['DetachPolicy', 'FailedOperation.OrganizationDetachPolicyError'],
      ['ListPoliciesForTarget', 'InternalError'],
      ['DetachPolicy', 'FailedOperation.OrganizationDetachPolicyError'],
      ['ListPoliciesForTarget', undefined],
    ]);
  });
});

describe('tencent network failures (transient) → retried', () => {
  it('drop: the connection resets before the call is applied; the retry detaches', async () => {
    faultCalls(sandbox.current, 'drop=1');
    const outcome = await executeRequest(denyCam(), sandboxOptions(url()));
    expect(outcome).toMatchObject({ status: 'detached', attempts: 2 });
    expect(detachCalls().map((c) => [c.fault, c.applied])).toEqual([
      ['drop', false],
      [undefined, true],
    ]);
  });

  it('drop-after: applied but the answer is lost; the retry finds it gone → already-compliant, one applied call', async () => {
    faultCalls(sandbox.current, 'drop-after=1');
    const outcome = await executeRequest(denyCam(), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 2,
      error: { code: 'FailedOperation.OrganizationDetachPolicyError' },
    });
    expect(detachCalls().map((c) => [c.fault, c.applied])).toEqual([
      ['drop-after', true],
      [undefined, false],
    ]);
    expect(totals()).toMatchObject({ mutating: 2, applied: 1 });
    expect(boundTo(sandbox.current, NODE.production)).not.toContain(POLICY.denyCam);
  });

  it('hang: the call times out (the SDK counts whole seconds), and the retry detaches', async () => {
    faultCalls(sandbox.current, 'hang=1,hang-ms=15000');
    const started = Date.now();
    const outcome = await executeRequest(
      denyCam(),
      sandboxOptions(url(), {
        contextFor: () => ({ credentials: SANDBOX_CREDENTIALS, endpoint: url(), timeoutMs: 1_000 }),
      }),
    );
    const elapsed = Date.now() - started;
    expect(outcome).toMatchObject({ status: 'detached', attempts: 2 });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5_000);
    expect(detachCalls().map((c) => [c.fault, c.applied])).toEqual([
      ['hang', false],
      [undefined, true],
    ]);
  });

  it('a sandbox that never answers: dead-lettered retry-budget-exhausted with NetworkError', async () => {
    sandbox.current.faults.set(parseFaultSpec('drop=1'));
    const outcome = await executeRequest(denyCam(), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'retry-budget-exhausted',
      attempts: 6,
      error: { provider: 'tencent', code: 'NetworkError' },
    });
    expect(totals().applied).toBe(0);
  });
});

describe('tencent ResourceUnavailable (conflict) → retried on the slow budget', () => {
  it('busy three times, then detached', async () => {
    faultCalls(sandbox.current, 'busy=1', { times: 3 });
    const outcome = await executeRequest(denyCam(), sandboxOptions(url()));
    expect(outcome).toMatchObject({ status: 'detached', attempts: 4 });
    expect(detachCalls().map((c) => c.code)).toEqual([
      'ResourceUnavailable',
      'ResourceUnavailable',
      'ResourceUnavailable',
      undefined,
    ]);
    expect(totals().applied).toBe(1);
  });

  it('busy that never clears → dead-lettered conflict after the conflict budget (longer than transient)', async () => {
    sandbox.current.faults.set(parseFaultSpec('busy=1'));
    const outcome = await executeRequest(denyCam(), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'conflict',
      attempts: 10,
      error: { code: 'ResourceUnavailable' },
    });
    expect(outcome.hint).toMatch(/concurrently/);
    expect(totals()).toMatchObject({ mutating: 10, applied: 0 });
    expect(boundTo(sandbox.current, NODE.production)).toContain(POLICY.denyCam);
  });
});
