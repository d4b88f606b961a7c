import type { BenchRow } from './table';

/**
 * The goals of issue #14, each a ratio measured side by side in one run. `npm run bench` prints every one
 * with "met" or "NOT met"; figures without a threshold are printed as "reported".
 */
export const GOALS = {
  /** New process to one detach done: bundle / raw vendor-SDK script, every cloud. */
  coldInvokeMax: 1.05,
  /** Queue-cleanup batch of 1,000 / raw SDK loop at the same concurrency. */
  warmMemoryMin: 0.85,
  warmRedisMin: 0.8,
  /** Peak RSS of that batch / the raw SDK loop's. */
  peakRssMax: 1.15,
  /** Shared limiter over Redis: sustained rate / the documented limit, and throttled share. */
  limiterRateMin: 0.98,
  limiterThrottledPercentMax: 0.1,
  /** Redis round trips per request on the happy path, amortised over a batch. */
  redisRoundTripsMax: 1,
} as const;

export function atMost(name: string, value: number, max: number, unit = 'ratio'): BenchRow {
  return { name, value, unit, goal: `<= ${max}`, met: value <= max };
}

export function atLeast(name: string, value: number, min: number, unit = 'ratio'): BenchRow {
  return { name, value, unit, goal: `>= ${min}`, met: value >= min };
}

export function reported(name: string, value: number, unit: string): BenchRow {
  return { name, value, unit, goal: 'reported' };
}
