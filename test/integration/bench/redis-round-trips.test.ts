import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../../helpers/redis';

// The bench's client-side counter of Redis round trips (preloaded into a function's process by the warm
// throughput bench): patches ioredis in this test process, as it does there.
require('../../../bench/warm/count-redis-round-trips.cjs');
const counts = () =>
  (
    globalThis as unknown as { __benchRedisCounts(): { roundTrips: number; commands: number } }
  ).__benchRedisCounts();

const prefix = `remediate-test-bench-${randomUUID()}:`;
const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 2 });

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

async function counted(body: () => Promise<unknown>): Promise<{ roundTrips: number; commands: number }> {
  await redis.ping(); // connected: nothing waits in the offline queue
  const before = counts();
  await body();
  const after = counts();
  return { roundTrips: after.roundTrips - before.roundTrips, commands: after.commands - before.commands };
}

describe('bench: Redis round-trip counter', () => {
  it('counts each command sent on its own as one round trip', async () => {
    expect(
      await counted(async () => {
        await redis.set(`${prefix}a`, '1');
        await redis.get(`${prefix}a`);
      }),
    ).toEqual({ roundTrips: 2, commands: 2 });
  });

  it('counts a pipeline as one round trip however many commands it carries', async () => {
    expect(
      await counted(() =>
        redis.pipeline().set(`${prefix}b`, '1').incr(`${prefix}b`).get(`${prefix}b`).exec(),
      ),
    ).toEqual({ roundTrips: 1, commands: 3 });
  });

  it('counts MULTI … EXEC as one round trip', async () => {
    const result = await counted(() => redis.multi().set(`${prefix}c`, '1').incr(`${prefix}c`).exec());
    expect(result.roundTrips).toBe(1);
    expect(result.commands).toBe(4); // MULTI, SET, INCR, EXEC
  });

  it('counts commands in flight together as one round trip each', async () => {
    expect(
      await counted(() => Promise.all([1, 2, 3].map((i) => redis.set(`${prefix}d${i}`, String(i))))),
    ).toEqual({ roundTrips: 3, commands: 3 });
  });
});
