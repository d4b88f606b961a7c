import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import { StateStoreError } from '../../../shared/state/errors';
import { openStateStore } from '../../../shared/state/open';
import { RedisStore } from '../../../shared/state/redis';
import { describeStateStoreContract } from '../../contract/state-store.contract';
import { TEST_REDIS_URL } from '../../helpers/redis';

const REDIS_URL = TEST_REDIS_URL;
const NOT_REACHABLE = 'Redis is not reachable on 127.0.0.1:6379: start it (redis-server) or run .ci/run';
/** One prefix per run, so parallel runs (and a developer's own data) never meet; every test clears it. */
const keyPrefix = `remediate-test-${randomUUID()}:`;

function reachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(6379, '127.0.0.1');
    socket.setTimeout(1_000, () => socket.destroy());
    socket.on('connect', () => {
      resolve(true);
      socket.end();
    });
    socket.on('error', () => resolve(false)).on('close', () => resolve(false));
  });
}

// Collected asynchronously: without Redis the file reports one failing test that says what to do,
// rather than thirty connection errors or a silent skip (CI always has Redis).
describe('RedisStore', async () => {
  if (!(await reachable())) {
    it('needs Redis', () => {
      throw new Error(NOT_REACHABLE);
    });
    return;
  }

  describeStateStoreContract('RedisStore', () => new RedisStore({ url: REDIS_URL, keyPrefix }));

  it('keeps every key under its prefix, each with an expiry', async () => {
    const store = new RedisStore({ url: REDIS_URL, keyPrefix });
    const now = Date.now();
    await store.claim('k', 'a', 60_000, now);
    await store.rememberOnce('k', 60_000, now);
    await store.tryCountInWindow('acct', 5, 60_000, now);
    await store.reserveSlot('api', 1_000, 5_000, now);
    await store.putDeadLetter({ id: 'd', createdAt: now, record: {} });
    const raw = new Redis(REDIS_URL);
    const keys = (await raw.keys(`${keyPrefix}*`)).sort();
    expect(keys.map((key) => key.slice(keyPrefix.length))).toEqual([
      'breaker:acct',
      'idem:k',
      'once:k',
      'slot:api',
      '{dlq}:by-time',
      '{dlq}:records',
    ]);
    for (const key of keys.filter((key) => !key.includes('{dlq}'))) {
      expect(await raw.pttl(key)).toBeGreaterThan(0);
    }
    await store.clear();
    expect(await raw.keys(`${keyPrefix}*`)).toEqual([]);
    await Promise.all([store.close(), raw.quit()]);
  });

  it('opens from a redis:// spec with the default prefix', async () => {
    const store = openStateStore(REDIS_URL) as RedisStore;
    expect([store.kind, store.keyPrefix]).toEqual(['redis', 'remediate:']);
    expect(await store.countDeadLetters()).toBeGreaterThanOrEqual(0);
    await store.close();
  });
});

describe('RedisStore without a server', () => {
  it('fails fast with a StateStoreError naming the address, not the password', async () => {
    const store = new RedisStore({ url: 'redis://:hunter2@127.0.0.1:1', keyPrefix });
    const started = Date.now();
    const failure = store.claim('k', 'a', 1_000, started);
    await expect(failure).rejects.toThrow(StateStoreError);
    await expect(failure).rejects.toThrow(
      /claim failed: Redis is not reachable at 127\.0\.0\.1:1 \(.*ECONNREFUSED/,
    );
    await expect(failure).rejects.not.toThrow(/hunter2/);
    expect(Date.now() - started).toBeLessThan(3_000);
    await store.close();
  });
});
