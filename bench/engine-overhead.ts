import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { emptyWorld } from '../sandbox/world';
import { admin, median } from './bundles';
import { startServer } from './child';
import { reported } from './goals';
import {
  ALL_CLOUDS,
  ALL_OPERATIONS,
  type AlibabaDetachPolicy,
  type Delivery,
  EMPTY_RULES,
  Engine,
  type ExecuteOptions,
  executeRequest,
  MemoryStore,
  type Outcome,
  type ProviderContext,
  parseRequest,
  REDACTED_PATHS,
  RedisStore,
  SANDBOX_CREDENTIALS,
  SqliteStore,
  type StateStore,
  sqliteDurability,
} from './product';
import { startBenchRedis } from './redis-server';
import type { BenchRow } from './table';

// Counts this process's Redis round trips (ioredis from node_modules, as the Redis store uses it).
require('./warm/count-redis-round-trips.cjs');
const redisCounts = () =>
  (
    globalThis as unknown as { __benchRedisCounts(): { roundTrips: number; commands: number } }
  ).__benchRedisCounts();

const REQUESTS = 1_000;
const CONCURRENCY = 16;
/** Each side's 1,000 requests run in chunks of this size, the sides taking turns chunk by chunk. */
const CHUNK = 100;
/** Measured rounds, after one warm-up round; each side reports its median round. */
const ROUNDS = 5;
const ACCOUNT = '1000000000000001';

const SIDES = ['direct', 'memory', 'sqlite', 'redis'] as const;
type Side = (typeof SIDES)[number];
const LABEL: Record<Side, string> = {
  direct: 'executeRequest directly (no engine)',
  memory: 'engine, memory store',
  sqlite: 'engine, sqlite store (temp file)',
  redis: 'engine, Redis store',
};

const user = (side: Side, i: number) => `${side}${String(i).padStart(4, '0')}@corp.onaliyun.com`;

/** One resource group; per side, 1,000 users each holding AdministratorAccess: 1,000 distinct valid detaches. */
function world() {
  return {
    ...emptyWorld(),
    alibaba: {
      defaultAccount: ACCOUNT,
      accounts: {
        [ACCOUNT]: {
          resourceGroups: [{ id: 'rg-bench', name: 'bench' }],
          policies: [
            { name: 'AdministratorAccess', type: 'System', versions: [{ versionId: 'v1', isDefault: true }] },
          ],
          attachments: SIDES.flatMap((side) =>
            Array.from({ length: REQUESTS }, (_, i) => ({
              resourceGroupId: 'rg-bench',
              policyType: 'System',
              policyName: 'AdministratorAccess',
              principalType: 'IMSUser',
              principalName: user(side, i),
            })),
          ),
        },
      },
    },
  };
}

function requests(side: Side): AlibabaDetachPolicy[] {
  return Array.from({ length: REQUESTS }, (_, i) => {
    const parsed = parseRequest({
      provider: 'alibaba',
      operation: 'detach-policy',
      resourceGroupId: 'rg-bench',
      policyType: 'System',
      policyName: 'AdministratorAccess',
      principalType: 'IMSUser',
      principalName: user(side, i),
    });
    if (!parsed.ok) throw new Error(`bench request: ${parsed.field} ${parsed.rule}`);
    return parsed.request as AlibabaDetachPolicy;
  });
}

/** Runs requests [from, to) with CONCURRENCY in flight; answers the wall time in ms. Each must detach. */
async function timed(
  from: number,
  to: number,
  run: (i: number) => Promise<Outcome>,
  label: string,
): Promise<number> {
  let next = from;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < to) {
        const i = next++;
        const outcome = await run(i);
        if (outcome.status !== 'detached' || outcome.duplicate)
          throw new Error(`${label}: request ${i} ended ${JSON.stringify(outcome)}`);
      }
    }),
  );
  return performance.now() - begin;
}

/**
 * Engine overhead per request: 1,000 distinct Alibaba detaches per side against the sandbox (its own
 * process), 16 in flight, through `executeRequest` alone (the provider call with its retry loop and
 * classification: what the engine calls) vs through `Engine.handle` (rules, idempotency claim and
 * completion, breaker, outcome log line) on each store. The sides take turns by chunks of 100 requests
 * (in a rotating order), so drift in what else the machine is doing hits them alike; the world is reloaded
 * before each round, so every side does the same 1,000 applied detaches in every round. The Redis store
 * runs on the bench's own redis-server; its client's round trips are counted during its chunks (one request
 * at a time through Engine.handle: the batch figure, the goal, is the warm-throughput bench's). The SQLite
 * figure is printed with the journal_mode and synchronous its store's connection runs with.
 */
export async function engineOverhead(): Promise<BenchRow[]> {
  const sandbox = await startServer(join(__dirname, 'servers/sandbox.ts'));
  const directory = mkdtempSync(join(tmpdir(), 'remediate-bench-'));
  const redis = await startBenchRedis();
  const REDIS_URL = redis.url;
  const redisPrefix = `remediate-bench-${randomUUID()}:`;
  const probe = new RedisStore({ url: REDIS_URL, keyPrefix: redisPrefix });
  let durability = { journalMode: 'unknown', synchronous: 'unknown' };
  const redisRoundTrips: number[] = [];
  try {
    await probe.countDeadLetters();
    const bySide = Object.fromEntries(SIDES.map((side) => [side, requests(side)])) as Record<
      Side,
      AlibabaDetachPolicy[]
    >;
    const context: ProviderContext = {
      credentials: SANDBOX_CREDENTIALS,
      endpoint: sandbox.url,
      timeoutMs: 5_000,
    };
    const contextFor = () => context;
    // Every outcome line is written, as in production, but to /dev/null rather than the bench's terminal.
    const logger = pino(
      { level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
      pino.destination({ dest: '/dev/null', sync: true }),
    );
    const openStore = (side: Exclude<Side, 'direct'>): StateStore =>
      side === 'memory'
        ? new MemoryStore()
        : side === 'sqlite'
          ? new SqliteStore(join(directory, `${randomUUID()}.db`))
          : new RedisStore({ url: REDIS_URL, keyPrefix: `${redisPrefix}${randomUUID()}:` });

    /** One round: every side's 1,000 requests, chunk by chunk; answers each side's total time in ms. */
    const round = async (label: string): Promise<Record<Side, number>> => {
      await admin(sandbox.url, 'PUT', 'state', world());
      await admin(sandbox.url, 'DELETE', 'calls');
      const deadline = Date.now() + 300_000;
      const options: ExecuteOptions = { operations: ALL_OPERATIONS, contextFor, deadline, onPlatform: false };
      const stores = { memory: openStore('memory'), sqlite: openStore('sqlite'), redis: openStore('redis') };
      durability = sqliteDurability(stores.sqlite as SqliteStore);
      let roundTrips = 0;
      try {
        const runners = {} as Record<Side, (i: number) => Promise<Outcome>>;
        runners.direct = (i) => executeRequest(bySide.direct[i] as AlibabaDetachPolicy, options);
        for (const side of ['memory', 'sqlite', 'redis'] as const) {
          await stores[side].countDeadLetters(); // connected (or migrated) before the clock starts
          const engine = new Engine({
            clouds: ALL_CLOUDS,
            store: stores[side],
            rules: EMPTY_RULES,
            logger,
            dryRun: false,
          });
          const delivery = (i: number): Delivery => ({
            trigger: 'cli',
            eventId: `${label}-${i}`,
            explicit: true,
            deadline,
            context,
            onPlatform: false,
          });
          runners[side] = (i) => engine.handle(bySide[side][i] as AlibabaDetachPolicy, delivery(i));
        }
        const total: Record<Side, number> = { direct: 0, memory: 0, sqlite: 0, redis: 0 };
        for (let chunk = 0; chunk * CHUNK < REQUESTS; chunk++) {
          for (let k = 0; k < SIDES.length; k++) {
            const side = SIDES[(chunk + k) % SIDES.length] as Side;
            const from = chunk * CHUNK;
            const before = redisCounts().roundTrips;
            total[side] += await timed(
              from,
              Math.min(REQUESTS, from + CHUNK),
              runners[side],
              `${label} ${side}`,
            );
            if (side === 'redis') roundTrips += redisCounts().roundTrips - before;
          }
        }
        const counts = (await admin(sandbox.url, 'GET', 'calls/count')) as {
          mutating: number;
          applied: number;
        };
        const expected = REQUESTS * SIDES.length;
        if (counts.mutating !== expected || counts.applied !== expected)
          throw new Error(
            `${label}: expected ${expected} applied detaches, sandbox counted ${JSON.stringify(counts)}`,
          );
        redisRoundTrips.push(roundTrips / REQUESTS);
        return total;
      } finally {
        for (const store of Object.values(stores)) {
          await store.clear();
          await store.close();
        }
      }
    };

    await round(`warm-up-${randomUUID()}`); // connections, JIT, sqlite pages
    const rounds: Record<Side, number>[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await round(`round-${r}-${randomUUID()}`));

    const perRequest = (side: Side) => (median(rounds.map((r) => r[side])) / REQUESTS) * 1000; // µs
    const direct = perRequest('direct');
    const rows: BenchRow[] = [
      {
        name: `${LABEL.direct}: µs per request (${REQUESTS} detaches, ${CONCURRENCY} in flight)`,
        value: direct,
        unit: 'µs/req',
      },
    ];
    for (const side of SIDES.filter((s) => s !== 'direct')) {
      const value = perRequest(side);
      const overhead =
        side === 'sqlite'
          ? reported(
              `${LABEL[side]}: overhead per request (journal_mode=${durability.journalMode}, synchronous=${durability.synchronous})`,
              value - direct,
              'µs/req',
            )
          : { name: `${LABEL[side]}: overhead per request`, value: value - direct, unit: 'µs/req' };
      rows.push({ name: `${LABEL[side]}: µs per request`, value, unit: 'µs/req' }, overhead, {
        name: `${LABEL[side]} / direct`,
        value: value / direct,
        unit: 'ratio',
      });
    }
    rows.push({
      name: 'engine, Redis store: Redis round trips per request, one request at a time through Engine.handle (client-side count)',
      value: median(redisRoundTrips.slice(1)),
      unit: 'round trips',
    });
    return rows;
  } finally {
    await probe.clear().catch(() => undefined);
    await probe.close();
    await redis.stop();
    rmSync(directory, { recursive: true, force: true });
    await sandbox.stop();
  }
}
