import { toJson, translateError } from './errors';
import type { ClaimResult, SendDecision, StateStore, StoredDeadLetter } from './types';

interface IdempotencyRecord {
  status: 'in-progress' | 'completed';
  owner: string;
  /** JSON, so a caller can never mutate what is stored (and all backends answer the same values). */
  outcome?: string;
  /** Lease end while in progress, retention end once completed. */
  expiresAt: number;
}

/**
 * Maps, for tests and single-process runs. Every method runs to completion without awaiting, so each
 * decision is atomic within the process; nothing is shared with other processes.
 */
export class MemoryStore implements StateStore {
  readonly kind = 'memory' as const;
  private readonly records = new Map<string, IdempotencyRecord>();
  private readonly remembered = new Map<string, { expiresAt: number }>();
  private readonly letters = new Map<string, string>();
  // Breaker and limiter keys are per account and API, few and long-lived: no sweeping needed.
  private readonly actions = new Map<string, number[]>();
  private readonly slots = new Map<string, number>();
  private readonly sends = new Map<string, { id: string; at: number }[]>();
  private sendIds = 0;
  private sweepAt = 1024;

  async claim(key: string, owner: string, leaseMs: number, now: number): Promise<ClaimResult> {
    this.sweep(now);
    const record = this.live(this.records, key, now);
    if (record?.status === 'completed')
      return { kind: 'completed', outcome: JSON.parse(record.outcome ?? 'null') };
    if (record) return { kind: 'in-progress', leaseExpiresAt: record.expiresAt };
    const leaseExpiresAt = now + leaseMs;
    this.records.set(key, { status: 'in-progress', owner, expiresAt: leaseExpiresAt });
    return { kind: 'claimed', leaseExpiresAt };
  }

  async complete(key: string, owner: string, outcome: unknown, ttlMs: number, now: number): Promise<void> {
    // Recorded even when the lease lapsed or another owner claimed since: the action did happen.
    if (this.live(this.records, key, now)?.status === 'completed') return;
    const stored = encode('complete', outcome);
    this.records.set(key, { status: 'completed', owner, outcome: stored, expiresAt: now + ttlMs });
  }

  async release(key: string, owner: string): Promise<void> {
    const record = this.records.get(key);
    if (record?.status === 'in-progress' && record.owner === owner) this.records.delete(key);
  }

  async forget(key: string): Promise<void> {
    this.records.delete(key);
  }

  async rememberOnce(key: string, ttlMs: number, now: number): Promise<boolean> {
    this.sweep(now);
    if (this.live(this.remembered, key, now)) return false;
    this.remembered.set(key, { expiresAt: now + ttlMs });
    return true;
  }

  async putDeadLetter(letter: StoredDeadLetter): Promise<void> {
    this.letters.set(letter.id, encode('putDeadLetter', letter));
  }

  async listDeadLetters(limit: number): Promise<StoredDeadLetter[]> {
    const all = [...this.letters.values()].map((text) => JSON.parse(text) as StoredDeadLetter);
    // Same order as the other backends: createdAt, then id (Redis sorts ties by member, SQL by id).
    all.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return all.slice(0, Math.max(0, limit));
  }

  async getDeadLetter(id: string): Promise<StoredDeadLetter | undefined> {
    const text = this.letters.get(id);
    return text === undefined ? undefined : (JSON.parse(text) as StoredDeadLetter);
  }

  async deleteDeadLetter(id: string): Promise<boolean> {
    return this.letters.delete(id);
  }

  async countDeadLetters(): Promise<number> {
    return this.letters.size;
  }

  async tryCountInWindow(key: string, limit: number, windowMs: number, now: number) {
    // Kept in ascending order, so what left the window is a prefix: a batch of n actions costs O(n), not
    // O(n²) copying the whole window on every call.
    const times = this.actions.get(key) ?? [];
    const expired = countUpTo(times, now - windowMs);
    if (expired > 0) times.splice(0, expired);
    const allowed = times.length < limit;
    if (allowed) times.splice(countUpTo(times, now), 0, now);
    this.actions.set(key, times);
    return { allowed, count: times.length };
  }

  async now(): Promise<number> {
    return Date.now();
  }

  async uncountInWindow(key: string, at: number) {
    const recent = this.actions.get(key) ?? [];
    const index = recent.indexOf(at);
    if (index !== -1) recent.splice(index, 1);
  }

  async reserveSlot(key: string, intervalMs: number, maxWaitMs: number, now: number) {
    const tat = Math.max(this.slots.get(key) ?? now, now);
    if (tat - now > maxWaitMs) return undefined;
    this.slots.set(key, tat + intervalMs);
    return tat;
  }

  async trySendInWindow(
    key: string,
    limit: number,
    windowMs: number,
    now: number,
    at = now,
  ): Promise<SendDecision> {
    const recent = (this.sends.get(key) ?? []).filter((send) => send.at > now - windowMs);
    recent.sort((a, b) => a.at - b.at);
    this.sends.set(key, recent);
    const limitthNewest = recent[recent.length - limit];
    if (limitthNewest !== undefined) return { allowed: false, retryAt: limitthNewest.at + windowMs };
    const id = String(++this.sendIds);
    recent.push({ id, at });
    return { allowed: true, id };
  }

  async retimeSend(key: string, id: string, at: number): Promise<void> {
    const send = this.sends.get(key)?.find((recorded) => recorded.id === id);
    if (send) send.at = at;
  }

  async clear(): Promise<void> {
    for (const map of [this.records, this.remembered, this.letters, this.actions, this.slots, this.sends])
      map.clear();
  }

  async close(): Promise<void> {}

  private live<T extends { expiresAt: number }>(
    map: Map<string, T>,
    key: string,
    now: number,
  ): T | undefined {
    const entry = map.get(key);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  /** Drops expired entries whenever the maps doubled since the last sweep: amortised O(1) per call. */
  private sweep(now: number): void {
    if (this.records.size + this.remembered.size < this.sweepAt) return;
    for (const map of [this.records, this.remembered]) {
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    }
    this.sweepAt = Math.max(1024, 2 * (this.records.size + this.remembered.size));
  }
}

/** How many of the ascending `times` are at or before `at` (binary search). */
function countUpTo(times: readonly number[], at: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((times[middle] as number) <= at) low = middle + 1;
    else high = middle;
  }
  return low;
}

function encode(operation: string, value: unknown): string {
  try {
    return toJson(value);
  } catch (error) {
    throw translateError('memory', operation, error);
  }
}
