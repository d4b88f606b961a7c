import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../shared/engine/clock';
import { type AttemptResult, backoffDelay, retry } from '../../../shared/engine/retry';
import type { ErrorClass } from '../../../shared/providers/types';

function fakeClock(random = 0.5): Clock & { slept: number[]; at: number } {
  const clock = {
    at: 0,
    slept: [] as number[],
    now: () => clock.at,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.at += ms;
    },
    random: () => random,
  };
  return clock;
}

const failWith =
  (errorClass: ErrorClass, succeedOn = Number.POSITIVE_INFINITY) =>
  async (n: number): Promise<AttemptResult<string>> =>
    n >= succeedOn ? { done: true, value: `ok on ${n}` } : { done: false, errorClass, value: `failed ${n}` };

const policies = {
  transient: { maxAttempts: 5, baseMs: 100, capMs: 1_000 },
  'resource-group-status': { maxAttempts: 8, baseMs: 1_000, capMs: 10_000 },
};

describe('backoffDelay (full jitter)', () => {
  it('stays below min(cap, base·2^(n-1)) and spans it', () => {
    const policy = { maxAttempts: 10, baseMs: 100, capMs: 1_000 };
    expect(backoffDelay(policy, 1, () => 0.999)).toBe(99);
    expect(backoffDelay(policy, 3, () => 0.999)).toBe(399);
    expect(backoffDelay(policy, 8, () => 0.999)).toBe(999);
    expect(backoffDelay(policy, 8, () => 0)).toBe(0);
  });
});

describe('retry', () => {
  it('retries a transient failure until it succeeds', async () => {
    const clock = fakeClock();
    const run = await retry(failWith('transient', 3), { deadline: 60_000, policies, clock });
    expect(run).toEqual({ value: 'ok on 3', attempts: 3 });
    expect(clock.slept).toEqual([50, 100]);
  });

  it('does not retry a class without a policy', async () => {
    const run = await retry(failWith('last-policy'), { deadline: 60_000, policies, clock: fakeClock() });
    expect(run).toEqual({ value: 'failed 1', attempts: 1, stoppedBy: 'not-retryable' });
  });

  it('stops when the class runs out of attempts; the slow class gets more and longer waits', async () => {
    const fast = fakeClock();
    expect(await retry(failWith('transient'), { deadline: 1e9, policies, clock: fast })).toMatchObject({
      attempts: 5,
      stoppedBy: 'attempts',
    });
    const slow = fakeClock();
    expect(
      await retry(failWith('resource-group-status'), { deadline: 1e9, policies, clock: slow }),
    ).toMatchObject({
      attempts: 8,
      stoppedBy: 'attempts',
    });
    expect(slow.at).toBeGreaterThan(fast.at * 10);
  });

  it('never waits past the deadline', async () => {
    const clock = fakeClock(0.999);
    const run = await retry(failWith('resource-group-status'), { deadline: 3_000, policies, clock });
    expect(run.stoppedBy).toBe('deadline');
    expect(clock.at).toBeLessThan(3_000);
  });
});
