import type { ErrorClass } from '../providers/types';
import { type Clock, realClock } from './clock';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

/**
 * Which failures are retried and how long. The slow class (a resource group being created or deleted,
 * a Huawei 409) settles in seconds to minutes, so it backs off from seconds and keeps trying longer.
 */
export const DEFAULT_RETRY_POLICIES: Readonly<Partial<Record<ErrorClass, RetryPolicy>>> = {
  transient: { maxAttempts: 6, baseMs: 200, capMs: 5_000 },
  'resource-group-status': { maxAttempts: 10, baseMs: 2_000, capMs: 30_000 },
  conflict: { maxAttempts: 10, baseMs: 2_000, capMs: 30_000 },
  // Unknown codes are retried a little after the truth was read and found still present.
  ambiguous: { maxAttempts: 3, baseMs: 500, capMs: 5_000 },
};

/** Exponential backoff with full jitter: uniform in [0, min(cap, base·2^(n-1))) before retry n. */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

export type AttemptResult<T> = { done: true; value: T } | { done: false; errorClass: ErrorClass; value: T };

export interface RetryRun<T> {
  value: T;
  attempts: number;
  /** Why retrying stopped on a failure: the class's attempts ran out, or the next try would pass the deadline. */
  stoppedBy?: 'attempts' | 'deadline' | 'not-retryable';
}

/**
 * Runs `attempt` until it is done, its failure is not retryable, the class's attempts are spent, or
 * the next wait would end past `deadline` (epoch ms): retries never outlive the caller's time budget.
 */
export async function retry<T>(
  attempt: (n: number) => Promise<AttemptResult<T>>,
  options: {
    deadline: number;
    policies?: Readonly<Partial<Record<ErrorClass, RetryPolicy>>>;
    clock?: Clock;
  },
): Promise<RetryRun<T>> {
  const policies = options.policies ?? DEFAULT_RETRY_POLICIES;
  const clock = options.clock ?? realClock;
  for (let n = 1; ; n++) {
    const result = await attempt(n);
    if (result.done) return { value: result.value, attempts: n };
    const policy = policies[result.errorClass];
    if (!policy) return { value: result.value, attempts: n, stoppedBy: 'not-retryable' };
    if (n >= policy.maxAttempts) return { value: result.value, attempts: n, stoppedBy: 'attempts' };
    const delay = backoffDelay(policy, n, clock.random);
    if (clock.now() + delay >= options.deadline)
      return { value: result.value, attempts: n, stoppedBy: 'deadline' };
    await clock.sleep(delay);
  }
}
