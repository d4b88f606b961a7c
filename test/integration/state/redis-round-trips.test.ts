import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../../shared/state/redis';
import { TEST_REDIS_URL } from '../../helpers/redis';

// Counted as bench/warm/count-redis-round-trips.cjs counts them: a command sent on its own is one round
// trip; the commands of one pipeline (ioredis hands each to sendCommand with the pipeline's own stream
// object, node_modules/ioredis/built/Pipeline.js) are one round trip together.
const streams = new WeakSet<object>();
let roundTrips = 0;
const sendCommand = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function counted(this: Redis, ...args: Parameters<Redis['sendCommand']>) {
  const stream = args[1] as object | undefined;
  if (!stream) roundTrips += 1;
  else if (!streams.has(stream)) {
    streams.add(stream);
    roundTrips += 1;
  }
  return sendCommand.apply(this, args);
};
afterAll(() => {
  Redis.prototype.sendCommand = sendCommand;
});

describe('RedisStore round trips', () => {
  it('decisions asked in the same turn of the event loop share one round trip, each still decided alone', async () => {
    const store = new RedisStore({ url: TEST_REDIS_URL, keyPrefix: `remediate-test-${randomUUID()}:` });
    try {
      await store.countDeadLetters(); // connected, and the scripts loaded, before counting
      await store.claim('warm-up', 'a', 60_000, Date.now());
      const before = roundTrips;
      const now = Date.now();
      const claims = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.claim(`k${i % 25}`, `owner-${i}`, 60_000, now)),
      );
      expect(roundTrips - before).toBe(1);
      // Two claims of each key in one pipeline: the first is granted, the second sees it in progress.
      expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(25);
      expect(claims.filter((c) => c.kind === 'in-progress')).toHaveLength(25);
    } finally {
      await store.clear();
      await store.close();
    }
  });
});
