import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { queueBatchEvent } from '../local/platform-events';
import { emptyWorld } from '../sandbox/world';
import { admin, builtBundles, bundlePath, type ChildRun, median, runNode, STS_ROLE } from './bundles';
import { startServer } from './child';
import { atLeast, atMost, GOALS } from './goals';
import { functionSource } from './product';
import { startBenchRedis } from './redis-server';
import type { BenchRow } from './table';

const MESSAGES = 1_000;
const WARM_UP = 8;
/** queue-cleanup's own: functions/queue-cleanup/index.ts CONCURRENCY. */
const CONCURRENCY = 8;
/** Measured rounds; each runs every side once, in a rotating order. */
const ROUNDS = 7;
const ACCOUNT = '1000000000000001';

const user = (i: number) => `bench${String(i).padStart(4, '0')}@corp.onaliyun.com`;
const detach = (i: number) => ({
  resourceGroupId: 'rg-bench',
  policyType: 'System',
  policyName: 'AdministratorAccess',
  principalType: 'IMSUser',
  principalName: user(i),
});

/** One resource group; 1,008 users each holding AdministratorAccess: 8 warm-up and 1,000 distinct valid detaches. */
function world() {
  return {
    ...emptyWorld(),
    keys: [{ cloud: 'alibaba', ...STS_ROLE }],
    alibaba: {
      defaultAccount: ACCOUNT,
      accounts: {
        [ACCOUNT]: {
          resourceGroups: [{ id: 'rg-bench', name: 'bench' }],
          policies: [
            { name: 'AdministratorAccess', type: 'System', versions: [{ versionId: 'v1', isDefault: true }] },
          ],
          attachments: Array.from({ length: WARM_UP + MESSAGES }, (_, i) => detach(i)),
        },
      },
    },
  };
}

/** The MNS batch (via EventBridge) of explicit detach orders for users [from, to). */
function batch(from: number, to: number): unknown {
  return queueBatchEvent(
    'alibaba',
    Array.from({ length: to - from }, (_, k) => ({
      messageId: randomUUID(),
      body: JSON.stringify({ provider: 'alibaba', operation: 'detach-policy', ...detach(from + k) }),
      receiveCount: 1,
    })),
  );
}

interface Result {
  ms: number;
  maxRssKiB: number;
  counts?: Record<string, number>;
  warmUp?: Record<string, number>;
  /** Only from the function's source run with the round-trip counter preloaded. */
  redis?: { roundTrips: number; commands: number };
}

const SIDES = ['memory', 'redis', 'raw'] as const;
type Side = (typeof SIDES)[number];

/**
 * Warm throughput: one process of the built Alibaba queue-cleanup bundle (the function's own process so its
 * RSS is the function's), warmed with an 8-message batch, then one 1,000-message MNS batch of distinct valid
 * detaches, once with REMEDIATE_STATE=memory and once with a Redis store (the bench's own redis-server,
 * flushed before each run); vs a child making the same 1,000 detaches with the vendor SDK in a plain loop at
 * queue-cleanup's concurrency (8). The sandbox runs in its own process and its world is reloaded before each
 * run. The three take turns round by round in a rotating order; the rates are medians, each ratio the
 * median of the rounds' ratios, the peak RSS the highest of each side's runs. Then the function's
 * TypeScript source runs the same batch once more on Redis with the client's round trips counted.
 */
export async function warmThroughput(): Promise<BenchRow[]> {
  const { dir } = await builtBundles();
  const work = mkdtempSync(join(tmpdir(), 'remediate-bench-warm-'));
  const sandbox = await startServer(join(__dirname, 'servers/sandbox.ts'));
  const redis = await startBenchRedis();
  const flusher = new Redis(redis.url, { lazyConnect: false, maxRetriesPerRequest: 2 });
  try {
    const files = {
      rules: join(work, 'rules.json'),
      warmEvent: join(work, 'warm-event.json'),
      batchEvent: join(work, 'batch-event.json'),
      warmList: join(work, 'warm-list.json'),
      list: join(work, 'list.json'),
    };
    // Explicit orders need no rule; a bulk batch needs a breaker above its size (the default is 50 per 10 min).
    writeFileSync(
      files.rules,
      JSON.stringify({ version: 1, breaker: { maxActions: 1_000_000, window: '10m' } }),
    );
    writeFileSync(files.warmEvent, JSON.stringify(batch(0, WARM_UP)));
    writeFileSync(files.batchEvent, JSON.stringify(batch(WARM_UP, WARM_UP + MESSAGES)));
    writeFileSync(files.warmList, JSON.stringify(Array.from({ length: WARM_UP }, (_, i) => detach(i))));
    writeFileSync(
      files.list,
      JSON.stringify(Array.from({ length: MESSAGES }, (_, i) => detach(WARM_UP + i))),
    );
    const state = world();
    const role = JSON.stringify(STS_ROLE);
    const functionEnv = (store: string) => ({
      BENCH_ROLE: role,
      REMEDIATE_STATE: store,
      REMEDIATE_RULES: files.rules,
      REMEDIATE_ALIBABA_ENDPOINT: sandbox.url,
      LOG_LEVEL: 'info',
    });
    const queueCleanup = join(__dirname, 'warm', 'queue-cleanup.cjs');
    const functionArgs = (entry: string) => [entry, files.warmEvent, files.batchEvent];
    const bundle = bundlePath(dir, 'alibaba', 'queue-cleanup');

    const sides: Record<Side, () => Promise<ChildRun>> = {
      memory: () => runNode(queueCleanup, functionArgs(bundle), functionEnv('memory')),
      redis: () => runNode(queueCleanup, functionArgs(bundle), functionEnv(redis.url)),
      raw: () =>
        runNode(
          join(__dirname, 'warm', 'raw-alibaba.cjs'),
          [files.warmList, files.list, String(CONCURRENCY)],
          {
            BENCH_ROLE: role,
            BENCH_ENDPOINT: sandbox.url,
          },
        ),
    };

    const run = async (
      label: string,
      start: () => Promise<ChildRun>,
      isFunction: boolean,
    ): Promise<Result> => {
      await admin(sandbox.url, 'PUT', 'state', state);
      await admin(sandbox.url, 'DELETE', 'calls');
      await flusher.flushall(); // the same message ids every run: no idempotency record may survive
      const child = await start();
      if (child.code !== 0)
        throw new Error(`warm throughput ${label}: exit ${child.code}\n${child.stdout}${child.stderr}`);
      const result = JSON.parse(child.stdout) as Result;
      if (isFunction && (result.counts?.detached !== MESSAGES || result.warmUp?.detached !== WARM_UP))
        throw new Error(`warm throughput ${label}: the batch settled ${JSON.stringify(result)}`);
      const counts = (await admin(sandbox.url, 'GET', 'calls/count')) as {
        mutating: number;
        applied: number;
      };
      const expected = WARM_UP + MESSAGES;
      if (counts.mutating !== expected || counts.applied !== expected)
        throw new Error(
          `warm throughput ${label}: expected ${expected} applied detaches, saw ${JSON.stringify(counts)}`,
        );
      return result;
    };

    const results: Record<Side, Result[]> = { memory: [], redis: [], raw: [] };
    const ratios: Record<'memory' | 'redis', number[]> = { memory: [], redis: [] };
    const rssRatios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const seen: Partial<Record<Side, Result>> = {};
      for (let k = 0; k < SIDES.length; k++) {
        const side = SIDES[(round + k) % SIDES.length] as Side;
        seen[side] = await run(side, sides[side], side !== 'raw');
        results[side].push(seen[side]);
      }
      const raw = seen.raw as Result;
      ratios.memory.push(raw.ms / (seen.memory as Result).ms);
      ratios.redis.push(raw.ms / (seen.redis as Result).ms);
      rssRatios.push((seen.memory as Result).maxRssKiB / raw.maxRssKiB);
    }

    // The round trips: the function from its source (so its ioredis can be counted), same batch, once.
    const counted = await run(
      'source on Redis, round trips counted',
      () =>
        runNode(
          queueCleanup,
          functionArgs(functionSource('queue-cleanup', 'alibaba')),
          functionEnv(redis.url),
          ['--import', 'tsx', '--require', join(__dirname, 'warm', 'count-redis-round-trips.cjs')],
        ),
      true,
    );
    if (!counted.redis) throw new Error('warm throughput: the round-trip counter did not report');

    const rate = (side: Side) => MESSAGES / (median(results[side].map((r) => r.ms)) / 1000);
    const peakMb = (side: Side) => Math.max(...results[side].map((r) => r.maxRssKiB)) / 1024;
    const roundTrips = counted.redis.roundTrips / MESSAGES;
    return [
      {
        name: `queue-cleanup bundle, memory store, ${MESSAGES}-message batch, ${CONCURRENCY} in flight: messages/s`,
        value: rate('memory'),
        unit: 'msg/s',
      },
      {
        name: 'queue-cleanup bundle, Redis store, same batch: messages/s',
        value: rate('redis'),
        unit: 'msg/s',
      },
      {
        name: `raw SDK loop, same ${MESSAGES} detaches, ${CONCURRENCY} in flight: detaches/s`,
        value: rate('raw'),
        unit: '/s',
      },
      atLeast(
        'warm throughput queue-cleanup (memory store) / raw SDK loop',
        median(ratios.memory),
        GOALS.warmMemoryMin,
      ),
      atLeast(
        'warm throughput queue-cleanup (Redis store) / raw SDK loop',
        median(ratios.redis),
        GOALS.warmRedisMin,
      ),
      atMost(
        'peak RSS of the batch (memory store) / raw SDK loop (median of the rounds)',
        median(rssRatios),
        GOALS.peakRssMax,
      ),
      {
        name: 'queue-cleanup peak RSS, memory store (highest of the runs)',
        value: peakMb('memory'),
        unit: 'MB',
      },
      {
        name: 'queue-cleanup peak RSS, Redis store (highest of the runs)',
        value: peakMb('redis'),
        unit: 'MB',
      },
      { name: 'raw SDK loop peak RSS (highest of the runs)', value: peakMb('raw'), unit: 'MB' },
      atMost(
        `Redis round trips per message, ${MESSAGES}-message batch (queue-cleanup source, client-side count)`,
        roundTrips,
        GOALS.redisRoundTripsMax,
        'round trips',
      ),
      {
        name: 'Redis commands per message, same batch',
        value: counted.redis.commands / MESSAGES,
        unit: 'commands',
      },
    ];
  } finally {
    flusher.disconnect();
    await redis.stop();
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
