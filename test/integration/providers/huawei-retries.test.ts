import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { parseFaultSpec } from '../../../sandbox/faults';
import { realClock } from '../../../shared/engine/clock';
import { executeRequest } from '../../../shared/engine/execute';
import { SANDBOX_CREDENTIALS, sandboxOptions } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';
import { attachedTo, DOMAIN, faultCalls, huaweiRequest, huaweiWorld } from './huawei-fixture';

const sandbox = useSandbox(huaweiWorld);
const url = () => sandbox.current.url;
const totals = () => sandbox.current.calls.totals();
const detachCalls = () => sandbox.current.calls.list({ action: 'DetachAgencyPolicyV5' });
const ecsOnCi = () => huaweiRequest({ policyId: 'p-ecs', agencyId: 'ag-ci' });
const fullOnBusy = () => huaweiRequest({ policyId: 'p-full', agencyId: 'ag-busy' });
/** Real time, but every backoff at the top of its jitter range: waits that are long enough, predictably. */
const highJitter = { ...realClock, random: () => 0.99 };

let stdout: string[] = [];
let spy: MockInstance<typeof process.stdout.write> | undefined;

beforeEach(() => {
  sandbox.current.removeAllListeners('call');
  sandbox.current.reset();
  stdout = [];
  spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  spy?.mockRestore();
  // Every test here makes failing SDK calls: the SDK's logger must not have printed any of them.
  expect(stdout.join('')).toBe('');
});

describe('huawei 409 (agency being modified) → conflict, retried on the slow budget', () => {
  it('never clears → dead-lettered conflict after the conflict budget, nothing applied', async () => {
    const outcome = await executeRequest(fullOnBusy(), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'conflict',
      attempts: 10,
      error: { provider: 'huawei', code: 'IAM.0005', httpStatus: 409 },
    });
    expect(outcome.hint).toMatch(/concurrently/);
    expect(totals()).toMatchObject({ mutating: 10, applied: 0 });
    expect(attachedTo(sandbox.current, 'ag-busy')).toEqual(['p-full']);
  });

  it('clears mid-retry (the agency settles after three 409s) → detached', async () => {
    let conflicts = 0;
    sandbox.current.on('call', (call) => {
      if (call.code === 'IAM.0005' && ++conflicts === 3) {
        const agency = sandbox.current.world.huawei.accounts[DOMAIN]?.agencies.find(
          (a) => a.agencyId === 'ag-busy',
        );
        if (agency) agency.status = 'ok';
      }
    });
    const outcome = await executeRequest(fullOnBusy(), sandboxOptions(url()));
    expect(outcome).toMatchObject({ status: 'detached', attempts: 4 });
    expect(detachCalls().map((c) => [c.httpStatus, c.applied])).toEqual([
      [409, false],
      [409, false],
      [409, false],
      [200, true],
    ]);
    expect(attachedTo(sandbox.current, 'ag-busy')).toEqual([]);
  });

  it('the busy fault (409 on an idle agency) twice, then detached', async () => {
    faultCalls(sandbox.current, 'busy=1', { times: 2 });
    const outcome = await executeRequest(ecsOnCi(), sandboxOptions(url()));
    expect(outcome).toMatchObject({ status: 'detached', attempts: 3 });
    expect(detachCalls().map((c) => c.code)).toEqual(['IAM.0005', 'IAM.0005', undefined]);
    expect(totals().applied).toBe(1);
  });

  it('on a platform, a 409 still there at the deadline → retry-later', async () => {
    const outcome = await executeRequest(
      fullOnBusy(),
      sandboxOptions(url(), {
        onPlatform: true,
        deadline: Date.now() + 50,
        clock: highJitter,
        retryPolicies: { conflict: { maxAttempts: 10, baseMs: 1_000, capMs: 1_000 } },
      }),
    );
    expect(outcome).toMatchObject({ status: 'retry-later', attempts: 1, error: { code: 'IAM.0005' } });
  });
});

describe('huawei 429 → retried and detached', () => {
  it('past the API rate limit: the throttled calls back off and every detach lands', async () => {
    sandbox.current.replaceWorld({ ...huaweiWorld(), limits: { 'huawei:DetachAgencyPolicyV5': 2 } });
    const options = sandboxOptions(url(), {
      clock: highJitter,
      retryPolicies: { transient: { maxAttempts: 6, baseMs: 400, capMs: 800 } },
    });
    const policies = ['p-full', 'p-ecs', 'p-vpc', 'p-dns'];
    const outcomes = await Promise.all(
      policies.map((policyId) => executeRequest(huaweiRequest({ policyId, agencyId: 'ag-ci' }), options)),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['detached', 'detached', 'detached', 'detached']);
    const throttled = detachCalls().filter((c) => c.httpStatus === 429);
    expect(throttled.length).toBeGreaterThanOrEqual(2);
    expect(throttled.every((c) => c.code === 'APIGW.0308')).toBe(true);
    expect(totals().applied).toBe(4);
    expect(attachedTo(sandbox.current, 'ag-ci')).toEqual([]);
  });

  it('the throttle fault twice, then detached', async () => {
    faultCalls(sandbox.current, 'throttle=1', { times: 2 });
    const outcome = await executeRequest(ecsOnCi(), sandboxOptions(url()));
    expect(outcome).toMatchObject({ status: 'detached', attempts: 3 });
    expect(detachCalls().map((c) => [c.httpStatus, c.code])).toEqual([
      [429, 'APIGW.0308'],
      [429, 'APIGW.0308'],
      [200, undefined],
    ]);
  });
});

describe('huawei 5xx (APIGW.0201 backend unavailable) → retried', () => {
  it('twice, then detached with exactly one applied call', async () => {
    faultCalls(sandbox.current, '5xx=1', { times: 2 });
    const outcome = await executeRequest(ecsOnCi(), sandboxOptions(url()));
    expect(outcome).toMatchObject({ status: 'detached', attempts: 3 });
    expect(detachCalls().map((c) => [c.httpStatus, c.code])).toEqual([
      [502, 'APIGW.0201'],
      [502, 'APIGW.0201'],
      [200, undefined],
    ]);
    expect(totals()).toMatchObject({ mutating: 3, applied: 1 });
  });

  it('never clears → dead-lettered retry-budget-exhausted', async () => {
    sandbox.current.faults.set(parseFaultSpec('5xx=1'));
    const outcome = await executeRequest(ecsOnCi(), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'retry-budget-exhausted',
      attempts: 6,
      error: { code: 'APIGW.0201', httpStatus: 502 },
    });
    expect(totals().applied).toBe(0);
  });
});

describe('huawei network failures → retried', () => {
  it('drop: reset before the call is applied; the retry detaches', async () => {
    faultCalls(sandbox.current, 'drop=1');
    const outcome = await executeRequest(ecsOnCi(), sandboxOptions(url()));
    expect(outcome).toMatchObject({ status: 'detached', attempts: 2 });
    expect(detachCalls().map((c) => [c.fault, c.applied])).toEqual([
      ['drop', false],
      [undefined, true],
    ]);
  });

  it('drop-after: applied but the answer is lost; the retry gets 404 → already-compliant, one applied call', async () => {
    faultCalls(sandbox.current, 'drop-after=1');
    const outcome = await executeRequest(ecsOnCi(), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 2,
      error: { code: 'IAM.0004', httpStatus: 404 },
    });
    expect(detachCalls().map((c) => [c.fault, c.applied])).toEqual([
      ['drop-after', true],
      [undefined, false],
    ]);
    expect(totals()).toMatchObject({ mutating: 2, applied: 1 });
  });

  it('hang: the call times out after timeoutMs, and the retry detaches', async () => {
    faultCalls(sandbox.current, 'hang=1,hang-ms=15000');
    const started = Date.now();
    const outcome = await executeRequest(
      ecsOnCi(),
      sandboxOptions(url(), {
        contextFor: () => ({ credentials: SANDBOX_CREDENTIALS, endpoint: url(), timeoutMs: 300 }),
      }),
    );
    const elapsed = Date.now() - started;
    expect(outcome).toMatchObject({ status: 'detached', attempts: 2 });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2_000);
    expect(detachCalls().map((c) => [c.fault, c.applied])).toEqual([
      ['hang', false],
      [undefined, true],
    ]);
  });

  it('an endpoint that never answers → dead-lettered retry-budget-exhausted with NetworkError', async () => {
    sandbox.current.faults.set(parseFaultSpec('drop=1'));
    const outcome = await executeRequest(ecsOnCi(), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'retry-budget-exhausted',
      attempts: 6,
      error: { provider: 'huawei', code: 'NetworkError' },
    });
    expect(outcome.error?.httpStatus).toBeUndefined();
    expect(totals().applied).toBe(0);
  });
});
