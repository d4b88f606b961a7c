import type { RulesFile } from '../config/rules';
import type { OperationName } from '../requests';
import type { StateStore } from '../state/types';
import { type RetryClock, realClock } from './retry';

/** Limits the vendors document, in requests per second per caller account (seed 003: Tencent DetachPolicy). */
export const DOCUMENTED_RATE_LIMITS: Readonly<Partial<Record<OperationName, number>>> = {
  'tencent/detach-policy': 20,
};

// Clouds count arrivals in a sliding second; network jitter can bunch our evenly spaced calls, so
// we pace a little under the limit rather than be throttled at it.
const PACING = 0.975;

/**
 * Spaces the calls of one operation and account evenly across every instance sharing the store: each
 * caller reserves the next slot and waits for it. Answers a `beforeCall` hook, or undefined if unlimited.
 */
export function rateLimitGate(
  store: StateStore,
  rules: RulesFile,
  operation: OperationName,
  account: string,
  deadline: number,
  clock: RetryClock = realClock,
): (() => Promise<boolean>) | undefined {
  const perSecond = rules.rateLimits[operation] ?? DOCUMENTED_RATE_LIMITS[operation];
  if (perSecond === undefined) return undefined;
  const intervalMs = 1000 / (perSecond * PACING);
  return async () => {
    const now = clock.now();
    const slot = await store.reserveSlot(`limit:${operation}:${account}`, intervalMs, deadline - now, now);
    if (slot === undefined) return false;
    if (slot > now) await clock.sleep(slot - now);
    return true;
  };
}
