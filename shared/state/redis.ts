import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { StateStoreError, toJson, translateError, withoutCredentials } from './errors';
import { SCRIPTS, type ScriptName } from './redis-scripts';
import type { ClaimResult, SendDecision, StateStore, StoredDeadLetter } from './types';

export interface RedisStoreOptions {
  /** redis://[user:password@]host:port[/db] or rediss://… for TLS. */
  url: string;
  /** Every key starts with it, so several deployments (or test runs) can share one Redis. */
  keyPrefix?: string;
}

/**
 * Redis, shared by every function instance. Each decision is one Lua script (atomic on the server); the
 * stored times are the caller's `now`, compared in the script, so tests can drive time. Keys also carry a
 * PEXPIRE of the same length, measured by the Redis server's clock, so nothing outlives its use.
 */
export class RedisStore implements StateStore {
  readonly kind = 'redis' as const;
  readonly keyPrefix: string;
  private readonly redis: Redis;
  private readonly address: string;
  private lastConnectionError: Error | undefined;
  /** The URL's password and user: never part of an error we throw. */
  private readonly secrets: string[];

  constructor(options: RedisStoreOptions) {
    this.keyPrefix = options.keyPrefix ?? 'remediate:';
    const url = new URL(options.url);
    this.address = `${url.hostname}:${url.port || 6379}`; // never the password
    this.secrets = [decodeURIComponent(url.password), url.password, decodeURIComponent(url.username)];
    // Required when used, not imported: a function running on another store never pays for loading it.
    keepDriverDebugQuiet();
    const Client = require('ioredis') as typeof Redis;
    this.redis = new Client(options.url, {
      lazyConnect: false,
      connectTimeout: 2_000,
      // A command waits for at most two reconnections (≈1 s when Redis is down), then fails; the client
      // keeps reconnecting in the background, so the store recovers once Redis is back.
      maxRetriesPerRequest: 2,
      retryStrategy: (attempt) => Math.min(attempt * 100, 500),
      commandTimeout: 5_000,
      // Commands issued in the same turn of the event loop (concurrent requests' claims, completions and
      // breaker slots) go in one pipeline: one round trip. Each script still runs atomically on the server
      // (ioredis lib/autoPipelining.ts).
      enableAutoPipelining: true,
    });
    this.redis.on('error', (error: Error) => {
      this.lastConnectionError = error; // reported with the next failing call instead of an unhandled event
    });
    for (const [name, { keys, lua }] of Object.entries(SCRIPTS)) {
      this.redis.defineCommand(name, { numberOfKeys: keys, lua });
    }
  }

  async claim(key: string, owner: string, leaseMs: number, now: number): Promise<ClaimResult> {
    const lease = now + leaseMs;
    const args = [owner, String(lease), px(leaseMs), String(now)];
    const [kind, value] = (await this.script('claim', 'remediateClaim', [this.k('idem', key)], args)) as [
      string,
      string,
    ];
    if (kind === 'completed') return { kind, outcome: JSON.parse(value) };
    return { kind: kind === 'claimed' ? 'claimed' : 'in-progress', leaseExpiresAt: Number(value) };
  }

  async complete(key: string, owner: string, outcome: unknown, ttlMs: number, now: number): Promise<void> {
    const args = [owner, toJson(outcome), String(now + ttlMs), px(ttlMs), String(now)];
    await this.script('complete', 'remediateComplete', [this.k('idem', key)], args);
  }

  async release(key: string, owner: string): Promise<void> {
    await this.script('release', 'remediateRelease', [this.k('idem', key)], [owner]);
  }

  async forget(key: string): Promise<void> {
    await this.call('forget', () => this.redis.del(this.k('idem', key)));
  }

  async rememberOnce(key: string, ttlMs: number, now: number): Promise<boolean> {
    const args = [String(now + ttlMs), px(ttlMs), String(now)];
    return (await this.script('rememberOnce', 'remediateRemember', [this.k('once', key)], args)) === 1;
  }

  async putDeadLetter(letter: StoredDeadLetter): Promise<void> {
    await this.script('putDeadLetter', 'remediatePutLetter', this.letterKeys(), [
      letter.id,
      String(letter.createdAt),
      toJson(letter),
    ]);
  }

  async listDeadLetters(limit: number): Promise<StoredDeadLetter[]> {
    if (limit <= 0) return []; // ZRANGE 0 -1 would mean "all"
    const texts = (await this.script('listDeadLetters', 'remediateListLetters', this.letterKeys(), [
      String(limit),
    ])) as string[];
    return texts.map((text) => JSON.parse(text) as StoredDeadLetter);
  }

  async getDeadLetter(id: string): Promise<StoredDeadLetter | undefined> {
    const text = await this.call('getDeadLetter', () => this.redis.hget(this.letterKeys()[0], id));
    return text === null ? undefined : (JSON.parse(text) as StoredDeadLetter);
  }

  async deleteDeadLetter(id: string): Promise<boolean> {
    return (await this.script('deleteDeadLetter', 'remediateDeleteLetter', this.letterKeys(), [id])) === 1;
  }

  async countDeadLetters(): Promise<number> {
    return this.call('countDeadLetters', () => this.redis.hlen(this.letterKeys()[0]));
  }

  async tryCountInWindow(key: string, limit: number, windowMs: number, now: number) {
    // The member must be unique: two actions recorded in the same millisecond are two actions.
    const args = [String(now), String(now - windowMs), String(limit), `${now}:${randomUUID()}`, px(windowMs)];
    const [allowed, count] = (await this.script(
      'tryCountInWindow',
      'remediateRecordAction',
      [this.k('breaker', key)],
      args,
    )) as [number, number];
    return { allowed: allowed === 1, count };
  }

  async now(): Promise<number> {
    const [seconds, micros] = await this.call('now', () => this.redis.time());
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }

  async uncountInWindow(key: string, at: number) {
    await this.script('uncountInWindow', 'remediateReleaseAction', [this.k('breaker', key)], [String(at)]);
  }

  async reserveSlot(key: string, intervalMs: number, maxWaitMs: number, now: number) {
    const args = [String(now), String(intervalMs), String(maxWaitMs)];
    const tat = (await this.script('reserveSlot', 'remediateReserveSlot', [this.k('slot', key)], args)) as
      | string
      | null;
    return tat === null ? undefined : Number(tat);
  }

  async trySendInWindow(
    key: string,
    limit: number,
    windowMs: number,
    now: number,
    at = now,
  ): Promise<SendDecision> {
    // Unique members, as for the breaker: two sends in the same millisecond are two sends. The key lives as
    // long as its latest send stays in the window.
    const id = `${at}:${randomUUID()}`;
    const args = [String(at), String(now - windowMs), String(limit), id, px(at - now + windowMs)];
    const [allowed, newest] = (await this.script(
      'trySendInWindow',
      'remediateTrySend',
      [this.k('sent', key)],
      args,
    )) as [number, string];
    return allowed === 1 ? { allowed: true, id } : { allowed: false, retryAt: Number(newest) + windowMs };
  }

  async retimeSend(key: string, id: string, at: number, windowMs: number): Promise<void> {
    await this.script(
      'retimeSend',
      'remediateRetimeSend',
      [this.k('sent', key)],
      [id, String(at), px(windowMs)],
    );
  }

  /** Deletes every key under the prefix (SCAN, not KEYS, so a big Redis is not blocked). */
  async clear(): Promise<void> {
    const match = `${this.keyPrefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    await this.call('clear', async () => {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 500);
        if (keys.length > 0) await this.redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    });
  }

  async close(): Promise<void> {
    // QUIT lets pending replies arrive; without a connection there is nothing to wait for.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }

  private k(kind: 'idem' | 'once' | 'breaker' | 'slot' | 'sent', key: string): string {
    return `${this.keyPrefix}${kind}:${key}`;
  }

  /** The records hash and the by-time index; the braces put both in one Redis Cluster hash slot. */
  private letterKeys(): [string, string] {
    return [`${this.keyPrefix}{dlq}:records`, `${this.keyPrefix}{dlq}:by-time`];
  }

  /** Runs a script registered with defineCommand (EVALSHA, falling back to EVAL once per connection). */
  private script(operation: string, name: ScriptName, keys: string[], args: string[]): Promise<unknown> {
    const command = (this.redis as unknown as Record<ScriptName, (...a: string[]) => Promise<unknown>>)[name];
    return this.call(operation, () => command.call(this.redis, ...keys, ...args));
  }

  private async call<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      if (this.redis.status === 'ready') throw translateError('redis', operation, error, this.secrets);
      const cause = withoutCredentials(this.lastConnectionError ?? error, this.secrets);
      const reason = this.lastConnectionError ? cause.message : `connection ${this.redis.status}`;
      throw new StateStoreError(
        `redis state store: ${operation} failed: Redis is not reachable at ${this.address} (${reason})`,
        { cause },
      );
    }
  }
}

/** PEXPIRE wants a positive whole number of milliseconds. */
function px(ms: number): string {
  return String(Math.max(1, Math.ceil(ms)));
}

/**
 * With DEBUG=* (or ioredis:*), ioredis prints every command it writes, `auth(user, password)` included.
 * Its namespaces are excluded from whatever DEBUG enables: in the environment, for a `debug` package not
 * loaded yet, and in the `debug` package ioredis itself requires (always installed beside it), which
 * the SDKs may have loaded already (README, "Debugging").
 */
function keepDriverDebugQuiet(): void {
  const namespaces = process.env.DEBUG;
  if (!namespaces || namespaces.includes('-ioredis:*')) return;
  const quieter = `${namespaces},-ioredis:*`;
  process.env.DEBUG = quieter;
  try {
    (require('debug') as { enable(namespaces: string): void }).enable(quieter);
  } catch {
    // No debug package: nothing prints ioredis's commands either.
  }
}
