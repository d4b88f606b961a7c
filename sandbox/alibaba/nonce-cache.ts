/**
 * Remembers signature nonces while the requests that carried them could still pass the date check, so a
 * replay inside the window is refused (SignatureNonceUsed). Bounded: expired entries are swept as the cache
 * grows and, past `capacity`, the oldest are dropped (a replay of one of those would then pass, which is the
 * price of bounded memory; the capacity is far above what a test or demo sends in 15 minutes).
 */
export class NonceCache {
  private readonly expiries = new Map<string, number>();
  private insertsSinceSweep = 0;

  constructor(
    private readonly windowMs: number,
    private readonly capacity = 100_000,
  ) {}

  /** Records the nonce; false when it was already seen and has not expired. */
  remember(key: string, signedAtMs: number, nowMs: number): boolean {
    const known = this.expiries.get(key);
    if (known !== undefined && known > nowMs) return false;
    this.expiries.delete(key);
    // A request stays acceptable until its signed date leaves the window, whichever of the two is later.
    this.expiries.set(key, Math.max(signedAtMs, nowMs) + this.windowMs);
    if (++this.insertsSinceSweep >= 1_000 || this.expiries.size > this.capacity) this.sweep(nowMs);
    return true;
  }

  get size(): number {
    return this.expiries.size;
  }

  private sweep(nowMs: number): void {
    this.insertsSinceSweep = 0;
    for (const [key, expiry] of this.expiries) if (expiry <= nowMs) this.expiries.delete(key);
    for (const key of this.expiries.keys()) {
      if (this.expiries.size <= this.capacity) break;
      this.expiries.delete(key);
    }
  }
}
