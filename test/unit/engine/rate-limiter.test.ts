import { describe, expect, it } from 'vitest';
import { EMPTY_RULES } from '../../../shared/config/rules';
import type { Clock } from '../../../shared/engine/clock';
import { type Paced, rateLimitGate } from '../../../shared/engine/rate-limiter';
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
  rateLimitGate(store, EMPTY_RULES, 'tencent/detach-policy', ACCOUNT, deadline, clock) as Paced;

/** How a call travels: it reaches the cloud `arrival` ms after it was sent and is answered `answer` ms after. */
type Trip = (n: number) => { arrival: number; answer: number };
const quick: Trip = () => ({ arrival: 1, answer: 2 });

/**
 * `instances` callers sharing one store each send `perInstance` calls one after another, each through the
 * gate of its own request (as the engine builds one per request); call n travels as `trip(n)` says.
 * Answers the arrival times at the cloud, in order.
 */
async function arrivals(clock: SimulatedClock, instances: number, perInstance: number, trip: Trip = quick) {
  const store = new MemoryStore();
  const arrived: number[] = [];
  let sent = 0;
  const call = async () => {
    const { arrival, answer } = trip(sent++);
    arrived.push(clock.now() + arrival);
    await clock.sleep(answer);
    return 'answered';
  };
  const instance = async () => {
    for (let i = 0; i < perInstance; i++) expect(await gateFor(store, clock)(call)).toBe('answered');
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

const key = `limit:tencent/detach-policy:${ACCOUNT}:sent`;

describe('rateLimitGate', () => {
  it('keeps 8 instances at 0.98 of the limit or more, never over it in any sliding second', async () => {
    const arrived = await arrivals(new SimulatedClock(), 8, 50);
    expect(arrived).toHaveLength(400);
    expect(mostInAnySecond(arrived)).toBeLessThanOrEqual(LIMIT);
    expect(ratePerSecond(arrived) / LIMIT).toBeGreaterThanOrEqual(0.98);
  });

  it('stays under the limit whatever stalls move a call within its round trip, wake-ups late too', async () => {
    // Every third sleeper wakes 0-60 ms late; every seventh call is held up 150 ms on its way to the cloud
    // (a descheduled process, a slow network), every fifth answer 80 ms on its way back: a call is known to
    // reach the cloud only somewhere between its send and its answer.
    const clock = new SimulatedClock((n) => (n % 3 === 0 ? (n * 7) % 61 : 0));
    const trip: Trip = (n) =>
      n % 7 === 0 ? { arrival: 150, answer: 152 } : n % 5 === 0 ? { arrival: 1, answer: 82 } : quick(n);
    const arrived = await arrivals(clock, 32, 10, trip);
    expect(arrived).toHaveLength(320);
    expect(mostInAnySecond(arrived)).toBeLessThanOrEqual(LIMIT);
  });

  it('sleeps exactly until the window of sends has room, without polling', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < LIMIT; i++) await store.trySendInWindow(key, LIMIT, 1_000, T0 + i);
    const clock = new SimulatedClock();
    clock.at = T0 + 100;
    const opened = gateFor(store, clock)(async () => clock.now());
    await clock.run();
    // The first send answered leaves the window at T0 + 1000: one sleep.
    expect(await opened).toBe(T0 + 1_000);
    expect(clock.slept).toEqual([900]);
  });

  it('counts a send until its answer comes, then from the answer', async () => {
    const store = new MemoryStore();
    const clock = new SimulatedClock();
    // LIMIT - 1 sends answered at T0, and one still waiting for its answer when the next call wants to go.
    for (let i = 0; i < LIMIT - 1; i++) await store.trySendInWindow(key, LIMIT, 1_000, T0);
    const gate = gateFor(store, clock);
    const slow = gate(async () => {
      await clock.sleep(2_500);
      return 'slow';
    });
    const next = gate(async () => clock.now());
    await clock.run();
    expect(await slow).toBe('slow');
    // The answer at T0 + 2500 is what the window counts: the 19 earlier sends left it at T0 + 1000, and
    // the next call went then, without waiting for the slow one (19 + 1 held place < LIMIT + 1).
    expect(await next).toBeGreaterThanOrEqual(T0 + 1_000);
    expect(await next).toBeLessThan(T0 + 1_100);
  });

  it('looks again shortly while the window is full of unanswered sends, and goes once one is answered', async () => {
    const store = new MemoryStore();
    const clock = new SimulatedClock();
    const gate = gateFor(store, clock);
    const answers: Promise<unknown>[] = [];
    for (let i = 0; i < LIMIT; i++) answers.push(gate(() => clock.sleep(300)));
    const next = gate(async () => clock.now());
    await clock.run();
    await Promise.all(answers);
    // The 20 sends (paced over ~960 ms) are answered 300 ms after each; the first answer, at about T0 + 300,
    // leaves the window a second later: the 21st goes then, not when the first held place would have expired.
    const went = ((await next) ?? 0) - T0;
    expect(went).toBeGreaterThanOrEqual(1_300);
    expect(went).toBeLessThan(1_320);
  });

  it('records the answer of a call that failed, and passes its failure on', async () => {
    const store = new MemoryStore();
    const clock = new SimulatedClock();
    const failed = gateFor(
      store,
      clock,
    )(async () => {
      await clock.sleep(40);
      throw new Error('connection reset');
    });
    const settled = failed.catch((error: Error) => error.message);
    await clock.run();
    expect(await settled).toBe('connection reset');
    // Held at the time-out, moved to the failure at T0 + 40: the window has room again at T0 + 1040.
    const full = await store.trySendInWindow(key, 1, 1_000, T0 + 41);
    expect(full).toEqual({ allowed: false, retryAt: T0 + 1_040 });
  });

  it('answers undefined without calling or sleeping when the window has no room before the deadline', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < LIMIT; i++) await store.trySendInWindow(key, LIMIT, 1_000, T0);
    const clock = new SimulatedClock();
    let called = false;
    const opened = gateFor(
      store,
      clock,
      T0 + 500,
    )(async () => {
      called = true;
    });
    await clock.run();
    expect(await opened).toBeUndefined();
    expect(called).toBe(false);
    expect(clock.slept).toEqual([]);
  });
});
