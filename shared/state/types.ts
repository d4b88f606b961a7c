/**
 * The state every function instance shares (docs/ARCHITECTURE.md, Safety): idempotency records, dead letters,
 * circuit-breaker events and rate-limiter schedules, behind one small interface with three backends (memory,
 * sqlite, redis). Every method that decides something is atomic across processes sharing the same backend.
 */

export type ClaimResult =
  /** The caller holds the key until `leaseExpiresAt` (epoch ms) and must complete or release it. */
  | { kind: 'claimed'; leaseExpiresAt: number }
  /** Someone finished this key before: here is what they stored. */
  | { kind: 'completed'; outcome: unknown }
  /** Another owner holds a live lease. */
  | { kind: 'in-progress'; leaseExpiresAt: number };

export interface StoredDeadLetter {
  id: string;
  /** Epoch ms, for ordering. */
  createdAt: number;
  /** The whole record (validated and stripped of secrets by the engine before it gets here). */
  record: unknown;
}

/** The answer of StateStore.trySendInWindow: the recorded send's id (for `retimeSend`), or when to ask again. */
export type SendDecision = { allowed: true; id: string } | { allowed: false; retryAt: number };

export interface StateStore {
  readonly kind: 'memory' | 'sqlite' | 'redis';

  /**
   * Atomically claims `key` for `owner`: granted when no record exists or the previous claim's lease has
   * expired; a completed key answers its outcome; a live claim by anyone answers in-progress.
   */
  claim(key: string, owner: string, leaseMs: number, now: number): Promise<ClaimResult>;
  /** Stores the outcome of a claimed key, kept for `ttlMs`; a key completed before keeps its first outcome. */
  complete(key: string, owner: string, outcome: unknown, ttlMs: number, now: number): Promise<void>;
  /** Gives up a claim (only the owner's, and only while in progress) so a retry can claim it at once. */
  release(key: string, owner: string): Promise<void>;

  /** Drops the key's record whatever its state: a redrive does this so the engine claims the key anew. */
  forget(key: string): Promise<void>;

  /** The store's clock (epoch ms): Redis TIME when shared, so every instance reads one clock. */
  now(): Promise<number>;

  /** Records `key` once for `ttlMs`; false when it was already recorded and not expired (replay guard). */
  rememberOnce(key: string, ttlMs: number, now: number): Promise<boolean>;

  putDeadLetter(letter: StoredDeadLetter): Promise<void>;
  /** Oldest first, at most `limit`. */
  listDeadLetters(limit: number): Promise<StoredDeadLetter[]>;
  getDeadLetter(id: string): Promise<StoredDeadLetter | undefined>;
  /** True when it existed. */
  deleteDeadLetter(id: string): Promise<boolean>;
  countDeadLetters(): Promise<number>;

  /**
   * Circuit breaker: records one action for `key` if fewer than `limit` were recorded in the sliding
   * window (now - windowMs, now], and says whether it did.
   */
  tryCountInWindow(
    key: string,
    limit: number,
    windowMs: number,
    now: number,
  ): Promise<{ allowed: boolean; count: number }>;

  /** Takes back one action recorded for `key` at `at` (a call that turned out to change nothing). */
  uncountInWindow(key: string, at: number): Promise<void>;

  /**
   * Rate limiter (GCRA scheduling): reserves the next send slot for `key`, one every `intervalMs`; answers
   * the epoch ms at which the caller may send. Reserves nothing and answers undefined when that slot is
   * more than `maxWaitMs` away.
   */
  reserveSlot(key: string, intervalMs: number, maxWaitMs: number, now: number): Promise<number | undefined>;

  /**
   * Rate limiter (sliding window of sends): records one send for `key` at `at` (default `now`; a later `at`
   * holds a place for a send whose time is not known yet) if fewer than `limit` sends are recorded after
   * `now - windowMs`, those recorded in the future included. Otherwise records nothing and answers
   * `retryAt`, the first time at which the window has room again (when the limit-th newest send leaves
   * it), so the caller sleeps exactly that long instead of polling.
   */
  trySendInWindow(
    key: string,
    limit: number,
    windowMs: number,
    now: number,
    at?: number,
  ): Promise<SendDecision>;

  /** Moves the send `id` recorded for `key` to `at`; it is then kept until `at + windowMs`. */
  retimeSend(key: string, id: string, at: number, windowMs: number): Promise<void>;

  /** Removes everything (tests, `remediate` maintenance). */
  clear(): Promise<void>;
  close(): Promise<void>;
}
