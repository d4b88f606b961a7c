import { describe, expect, it } from 'vitest';
import { EMPTY_RULES } from '../../../shared/config/rules';
import type { Clock } from '../../../shared/engine/clock';
import { rateLimitGate } from '../../../shared/engine/rate-limiter';
import { MemoryStore } from '../../../shared/state/memory';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const LIMIT = 20; // Tencent DetachPolicy's documented limit, the gate's default for it
const ACCOUNT = '100000000001';

/**
 * Simulated time shared by many callers: a sleeper wakes at its time (plus the lateness the test gives
 * it), earliest first, and time jumps there. Nothing here waits for real time, so the figures below are
 * counts in simulated milliseconds, the same on any machine.
 */
class SimulatedClock implements Clock {
  at = T0;
  readonly slept: number[] = [];
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];
  private seq = 0;
  constructor(private readonly lateness: (n: number) => number = () => 0) {}
  now = (): number => this.at;
  random = (): number => 0.5;
  sleep = (ms: number): Promise<void> => {
    this.slept.push(ms);
    const n = this.seq++;
    return new Promise((wake) => this.timers.push({ at: this.at + ms + this.lateness(n), seq: n, wake }));
  };
  /** Runs every caller to its end: settles what is ready, then wakes the earliest sleeper. */
  async run(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift() as (typeof this.timers)[number];
      this.at = Math.max(this.at, next.at);
      next.wake();
    }
  }
}

const gateFor = (store: MemoryStore, clock: Clock, deadline = T0 + 600_000) =>
  rateLimitGate(
    store,
    EMPTY_RULES,
    'tencent/detach-policy',
    ACCOUNT,
    deadline,
    clock,
  ) as () => Promise<boolean>;

/**
 * `instances` callers sharing one store each send `perInstance` calls one after another, each through the
 * gate of its own request (as the engine builds one per request); a call reaches the cloud `delay(n)` ms
 * after its gate opened. Answers the arrival times, in order.
 */
async function arrivals(
  clock: SimulatedClock,
  instances: number,
  perInstance: number,
  delay: (n: number) => number = () => 0,
): Promise<number[]> {
  const store = new MemoryStore();
  const arrived: number[] = [];
  let sent = 0;
  const instance = async () => {
    for (let i = 0; i < perInstance; i++) {
      expect(await gateFor(store, clock)()).toBe(true);
      arrived.push(clock.now() + delay(sent++));
    }
  };
  const all = Promise.all(Array.from({ length: instances }, instance));
  await clock.run();
  await all;
  return arrived.sort((a, b) => a - b);
}

/** The most arrivals in any sliding second, counted as the sandbox does (an arrival 1000 ms later is out). */
function mostInAnySecond(arrived: number[]): number {
  let most = 0;
  for (let i = 0, first = 0; i < arrived.length; i++) {
    while ((arrived[i] as number) - (arrived[first] as number) >= 1_000) first++;
    most = Math.max(most, i - first + 1);
  }
  return most;
}

const ratePerSecond = (arrived: number[]) =>
  ((arrived.length - 1) * 1_000) / ((arrived.at(-1) as number) - (arrived[0] as number));

describe('rateLimitGate', () => {
  it('keeps 8 instances at 0.98 of the limit or more, never over it in any sliding second', async () => {
    const arrived = await arrivals(new SimulatedClock(), 8, 50);
    expect(arrived).toHaveLength(400);
    expect(mostInAnySecond(arrived)).toBeLessThanOrEqual(LIMIT);
    expect(ratePerSecond(arrived) / LIMIT).toBeGreaterThanOrEqual(0.98);
  });

  it('stays under the limit when wake-ups are late and arrivals come up to 10 ms after the gate opened', async () => {
    // Every third sleeper wakes 0-60 ms late; every third call reaches the cloud 10 ms after the gate opened,
    // the others at once: without the arrival margin, a late arrival bunches with one 20 calls later.
    const clock = new SimulatedClock((n) => (n % 3 === 0 ? (n * 7) % 61 : 0));
    const arrived = await arrivals(clock, 32, 10, (n) => (n % 3 === 0 ? 10 : 0));
    expect(arrived).toHaveLength(320);
    expect(mostInAnySecond(arrived)).toBeLessThanOrEqual(LIMIT);
  });

  it('sleeps exactly until the window of sends has room, without polling', async () => {
    const store = new MemoryStore();
    const key = `limit:tencent/detach-policy:${ACCOUNT}:sent`;
    for (let i = 0; i < LIMIT; i++) await store.trySendInWindow(key, LIMIT, 1_000, T0 + i);
    const clock = new SimulatedClock();
    clock.at = T0 + 100;
    const opened = gateFor(store, clock)();
    await clock.run();
    expect(await opened).toBe(true);
    // The first recorded send leaves the window (1 s plus the arrival margin) at T0 + 1010: one sleep.
    expect(clock.now()).toBe(T0 + 1_010);
    expect(clock.slept).toEqual([910]);
  });

  it('answers false without sleeping when the window has no room before the deadline', async () => {
    const store = new MemoryStore();
    const key = `limit:tencent/detach-policy:${ACCOUNT}:sent`;
    for (let i = 0; i < LIMIT; i++) await store.trySendInWindow(key, LIMIT, 1_000, T0);
    const clock = new SimulatedClock();
    const opened = gateFor(store, clock, T0 + 500)();
    await clock.run();
    expect(await opened).toBe(false);
    expect(clock.slept).toEqual([]);
  });
});
