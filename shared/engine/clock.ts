/**
 * Every time the engine reads or waits for: leases, breaker and limiter windows, exemption expiry,
 * retry backoff, the times on outcomes and dead letters. Injected, so the engine's rules can be tested
 * without waiting.
 */
export interface Clock {
  /** Epoch ms. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1): the jitter of retry backoff. */
  random(): number;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};
