const WINDOW_MS = 1_000;

/**
 * At most N accepted calls in any sliding one-second window, per `cloud:Action` and caller account.
 * A sliding window is the strictest reading of "N requests per second": a client that bursts at a
 * second's boundary is throttled, as it may be by the real clouds, so our pacing must be right.
 */
export class RateLimiter {
  // Ring of the last N acceptance times per key; the oldest tells whether the window has room.
  private readonly windows = new Map<string, { times: number[]; next: number }>();

  constructor(private limits: Readonly<Record<string, number>>) {}

  setLimits(limits: Readonly<Record<string, number>>): void {
    this.limits = limits;
    this.windows.clear();
  }

  /** Records the call and answers true, or answers false when the caller is over the limit. */
  tryTake(cloud: string, action: string, account: string, nowMs: number): boolean {
    const limit = this.limits[`${cloud}:${action}`] ?? this.limits[`${cloud}:*`];
    if (limit === undefined) return true;
    const capacity = Math.max(1, Math.floor(limit));
    const id = `${cloud}:${action}:${account}`;
    let window = this.windows.get(id);
    if (!window) {
      window = { times: [], next: 0 };
      this.windows.set(id, window);
    }
    if (window.times.length < capacity) {
      window.times.push(nowMs);
      return true;
    }
    const oldest = window.times[window.next] ?? 0;
    if (nowMs - oldest < WINDOW_MS) return false;
    window.times[window.next] = nowMs;
    window.next = (window.next + 1) % capacity;
    return true;
  }
}
