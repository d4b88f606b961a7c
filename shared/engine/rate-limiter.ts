import type { RulesFile } from '../config/rules';
import type { OperationName } from '../requests';
import type { StateStore } from '../state/types';
import { type Clock, realClock } from './clock';

/** Limits the vendors document, in requests per second per caller account (Tencent DetachPolicy: Organization DetachPolicy API page, docs/sources.md, Vendor API pages). */
export const DOCUMENTED_RATE_LIMITS: Readonly<Partial<Record<OperationName, number>>> = {
  'tencent/detach-policy': 20,
};

// Evenly spaced slots just under the limit spread the calls of every instance over the second; the 1 %
// left over is the room the sliding window below needs to absorb a late send without holding up the rest.
const PACING = 0.99;
// The cloud counts arrivals: Tencent documents 20 requests per second (docs/sources.md) without saying
// whether per clock second or in any sliding second; at most the limit in any sliding second satisfies
// both readings. A caller that wakes late for its slot (a busy event loop, a loaded machine) would bunch
// up with the next ones, so each send is also checked against the recorded sends of the last second,
// recorded as late as possible (after the slot was waited for, just before the call goes out). The window
// is widened by the spread of the delay between that record and the cloud's arrival: both the late
// arrival of an earlier send and the early arrival of a later one shorten the gap the cloud sees.
const WINDOW_MS = 1_000;
const ARRIVAL_MARGIN_MS = 10;

/**
 * Paces the calls of one operation and account across every instance sharing the store: a GCRA slot
 * spaces them evenly, then a sliding window of recorded sends guarantees at most the limit in any
 * second as the cloud counts it. Answers a `beforeCall` hook (false when no send fits before the
 * deadline), or undefined for an unlimited operation.
 */
export function rateLimitGate(
  store: StateStore,
  rules: RulesFile,
  operation: OperationName,
  account: string,
  deadline: number,
  clock: Clock = realClock,
): (() => Promise<boolean>) | undefined {
  const perSecond = rules.rateLimits[operation] ?? DOCUMENTED_RATE_LIMITS[operation];
  if (perSecond === undefined) return undefined;
  return paceGate(store, `limit:${operation}:${account}`, perSecond, deadline, clock);
}

/**
 * The gate of rateLimitGate for any call counted under `key` at `perSecond` (a scan's list calls use it
 * too): true when the call may go now, false when no send fits before the deadline.
 */
export function paceGate(
  store: StateStore,
  key: string,
  perSecond: number,
  deadline: number,
  clock: Clock = realClock,
): () => Promise<boolean> {
  const intervalMs = 1000 / (perSecond * PACING);
  const perWindow = Math.max(1, Math.floor(perSecond));
  return async () => {
    const now = clock.now();
    const slot = await store.reserveSlot(key, intervalMs, deadline - now, now);
    if (slot === undefined) return false;
    if (slot > now) await clock.sleep(slot - now);
    for (;;) {
      const at = clock.now();
      if (at >= deadline) return false;
      const sent = await store.trySendInWindow(`${key}:sent`, perWindow, WINDOW_MS + ARRIVAL_MARGIN_MS, at);
      if (sent.allowed) return true;
      // Asleep until the window has room: polling instead would add up to a polling period of delay.
      if (sent.retryAt >= deadline) return false;
      await clock.sleep(sent.retryAt - at);
    }
  };
}
