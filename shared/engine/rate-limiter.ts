import type { RulesFile } from '../config/rules';
import { CALL_TIMEOUT_MS } from '../providers/types';
import type { OperationName } from '../requests';
import type { StateStore } from '../state/types';
import { type Clock, realClock } from './clock';

/** Limits the vendors document, in requests per second per caller account (Tencent DetachPolicy: Organization DetachPolicy API page, docs/sources.md, Vendor API pages). */
export const DOCUMENTED_RATE_LIMITS: Readonly<Partial<Record<OperationName, number>>> = {
  'tencent/detach-policy': 20,
};

// Evenly spaced slots just under the limit spread the calls of every instance over the second; the 1 %
// left over is the room the sliding window below needs to absorb a late answer without holding up the rest.
const PACING = 0.99;
// The cloud counts arrivals: Tencent documents 20 requests per second (docs/sources.md) without saying
// whether per clock second or in any sliding second; at most the limit in any sliding second satisfies
// both readings. When a call reaches the cloud is known only to lie between its send and its answer: a
// stall anywhere between (a busy event loop, a loaded machine, the network) can move it to any point in
// between. So each send is recorded as soon as it is allowed, at the latest time its answer can come (the
// call's time-out), and moved to the time of its answer once it comes; a call may go when fewer than the
// limit were answered in the last second or are still unanswered. Then any 21 arrivals span more than a
// second whatever the delays, at the price of one round trip per window of the limit's calls: on a real
// cloud the rate reaches limit × 1000 / (1000 + round trip ms).
const WINDOW_MS = 1_000;
// How soon to look again when the window is full of sends not answered yet (their time is not known).
const ANSWER_POLL_MS = 10;

/**
 * A call through the rate limiter: waits for its turn, makes the call and records when its answer came;
 * answers undefined, without calling, when no turn comes before the deadline.
 */
export type Paced = <T>(call: () => Promise<T>) => Promise<T | undefined>;

/**
 * Paces the calls of one operation and account across every instance sharing the store: a GCRA slot
 * spaces them evenly, then a sliding window of answered and unanswered sends guarantees at most the limit
 * in any second as the cloud counts it. Answers undefined for an unlimited operation.
 */
export function rateLimitGate(
  store: StateStore,
  rules: RulesFile,
  operation: OperationName,
  account: string,
  deadline: number,
  clock: Clock = realClock,
): Paced | undefined {
  const perSecond = rules.rateLimits[operation] ?? DOCUMENTED_RATE_LIMITS[operation];
  if (perSecond === undefined) return undefined;
  return paceGate(store, `limit:${operation}:${account}`, perSecond, deadline, clock);
}

/** The gate of rateLimitGate for any call counted under `key` at `perSecond` (a scan's list calls use it too). */
export function paceGate(
  store: StateStore,
  key: string,
  perSecond: number,
  deadline: number,
  clock: Clock = realClock,
): Paced {
  const intervalMs = 1000 / (perSecond * PACING);
  const perWindow = Math.max(1, Math.floor(perSecond));
  const sends = `${key}:sent`;
  const turn = async (): Promise<string | undefined> => {
    const now = clock.now();
    const slot = await store.reserveSlot(key, intervalMs, deadline - now, now);
    if (slot === undefined) return undefined;
    if (slot > now) await clock.sleep(slot - now);
    for (;;) {
      const at = clock.now();
      if (at >= deadline) return undefined;
      const sent = await store.trySendInWindow(sends, perWindow, WINDOW_MS, at, at + CALL_TIMEOUT_MS);
      if (sent.allowed) return sent.id;
      // Asleep until the window has room (polling instead would add up to a polling period of delay),
      // unless what fills it is still unanswered: a time past a window away is a held place.
      const wake = sent.retryAt - at > WINDOW_MS ? at + ANSWER_POLL_MS : sent.retryAt;
      if (wake >= deadline) return undefined;
      await clock.sleep(wake - at);
    }
  };
  return async (call) => {
    const id = await turn();
    if (id === undefined) return undefined;
    try {
      return await call();
    } finally {
      // Not moved (the store is down): the held place stays until the time-out, slower but never over.
      await store.retimeSend(sends, id, clock.now(), WINDOW_MS).catch(() => undefined);
    }
  };
}
