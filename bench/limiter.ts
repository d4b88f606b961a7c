import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { tencentClient } from '../local/sdk-clients';
import type { CallCounts, CallRecord } from '../sandbox/calls';
import { emptyWorld } from '../sandbox/world';
import { admin } from './bundles';
import { startServer } from './child';
import { atLeast, atMost, GOALS } from './goals';
import { type Deliverer, RedisStore, startDeliverer, stopDeliverers } from './product';
import { startBenchRedis } from './redis-server';
import type { BenchRow } from './table';

/** Each run's processes; the same number of detaches is spread over them. */
const PROCESS_COUNTS = [8, 32] as const;
const DETACHES = 800;
/**
 * Tencent Organization DetachPolicy: "A maximum of 20 requests can be initiated per second for this API"
 * (the API page, see docs/sources.md); the sandbox enforces it in any sliding second.
 */
const LIMIT_PER_SECOND = 20;
const OWNER_UIN = '100000000001';
const NODE = 1001;
const FIRST_POLICY = 100_000;

/**
 * One organization owned by the default `sandbox` key's account; one department holding 801 SCPs, so
 * each of the 800 detaches is valid (the last one stays: a department keeps at least one SCP).
 */
function world() {
  const policies = Array.from({ length: DETACHES + 1 }, (_, i) => FIRST_POLICY + i);
  return {
    ...emptyWorld(),
    tencent: {
      defaultAccount: OWNER_UIN,
      organizations: [
        {
          orgId: 1,
          ownerUin: OWNER_UIN,
          rootNodeId: 1000,
          nodes: [
            { nodeId: 1000, name: 'root', parentNodeId: null },
            { nodeId: NODE, name: 'bench', parentNodeId: 1000 },
          ],
          members: [{ uin: OWNER_UIN, name: 'management', nodeId: 1000 }],
          policies: policies.map((policyId) => ({
            policyId,
            name: `Bench-${policyId}`,
            type: 'SERVICE_CONTROL_POLICY',
          })),
          enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'],
          bindings: policies.map((policyId) => ({ policyId, targetId: NODE, targetType: 'NODE' })),
        },
      ],
    },
  };
}

const detach = (policyId: number) => ({
  provider: 'tencent',
  operation: 'detach-policy',
  policyId,
  targetId: NODE,
  targetType: 'NODE',
});

/**
 * The shared rate limiter: N processes (8, then 32), each its own Engine over the bench's own Redis (one
 * GCRA schedule per operation and account), deliver 800 distinct Tencent DetachPolicy requests between
 * them, all at once, against the sandbox (its own process, enforcing 20 calls in any sliding second). The
 * sustained rate is taken from the sandbox's own call log: applied detaches between the first and the last
 * one; the throttled share counts every DetachPolicy call the sandbox saw, retries included.
 */
export async function sharedLimiter(): Promise<BenchRow[]> {
  const sandbox = await startServer(join(__dirname, 'servers/sandbox.ts'));
  const redis = await startBenchRedis();
  try {
    const limits = (await admin(sandbox.url, 'GET', 'limits')) as Record<string, number>;
    if ((limits['tencent:DetachPolicy'] ?? LIMIT_PER_SECOND) !== LIMIT_PER_SECOND)
      throw new Error(`the sandbox limits Tencent DetachPolicy to ${limits['tencent:DetachPolicy']}/s`);
    const rows: BenchRow[] = [];
    for (const processes of PROCESS_COUNTS)
      rows.push(...(await limiterRun(sandbox.url, redis.url, processes)));
    for (const mode of ['sequential', 'unbounded'] as const)
      rows.push(...(await naiveReference(sandbox.url, mode)));
    return rows;
  } finally {
    await redis.stop();
    await sandbox.stop();
  }
}

async function limiterRun(url: string, redisUrl: string, processes: number): Promise<BenchRow[]> {
  const keyPrefix = `remediate-bench-${randomUUID()}:`;
  const store = new RedisStore({ url: redisUrl, keyPrefix });
  const workers: Deliverer[] = [];
  const perProcess = DETACHES / processes;
  try {
    await admin(url, 'PUT', 'state', world());
    // The sandbox counts calls in any sliding second: let the previous run's calls leave the window.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await admin(url, 'DELETE', 'calls');

    for (let i = 0; i < processes; i++)
      workers.push(startDeliverer({ spec: redisUrl, keyPrefix, url, productionRetries: true }));
    await Promise.all(workers.map((w) => w.ready));
    // Warm-up, as the other benches do: one dry-run delivery per process (a ListPoliciesForTarget read)
    // builds its SDK client and compiles the call path, so a cold first call does not arrive late and
    // bunch with the next ones. It changes nothing and is left out of the call log measured below.
    await Promise.all(
      workers.map((w, p) =>
        w.deliver({
          tag: 'warm-up',
          deliveries: [{ eventId: `warm-up-${p}`, request: { ...detach(FIRST_POLICY), dryRun: true } }],
          deadlineMs: 30_000,
        }),
      ),
    );
    await admin(url, 'DELETE', 'calls');

    const run = randomUUID();
    const load = loadavg()[0] ?? 0;
    const results = await Promise.all(
      workers.map((w, p) =>
        w.deliver({
          tag: 'limiter',
          deliveries: Array.from({ length: perProcess }, (_, j) => ({
            eventId: `${run}-${p}-${j}`,
            request: detach(FIRST_POLICY + p * perProcess + j),
          })),
          // Room for 800 calls at 20/s and any retries; the claim lease is as long.
          deadlineMs: 180_000,
        }),
      ),
    );
    await Promise.all(workers.map((w) => w.close()));

    const outcomes = results.flat();
    const detachedOutcomes = outcomes.filter((l) => 'outcome' in l && l.outcome.status === 'detached').length;
    const { calls } = (await admin(url, 'GET', 'calls?action=DetachPolicy')) as { calls: CallRecord[] };
    const applied = calls.filter((c) => c.applied).map((c) => Date.parse(c.at));
    const throttled = calls.filter((c) => c.code?.startsWith('RequestLimitExceeded')).length;
    const spanSeconds = ((applied.at(-1) ?? 0) - (applied[0] ?? 0)) / 1000;
    const rate = spanSeconds > 0 ? (applied.length - 1) / spanSeconds : 0;
    const throttledPercent = calls.length > 0 ? (throttled / calls.length) * 100 : 0;
    if (detachedOutcomes !== DETACHES) {
      const other = outcomes.filter((l) => !('outcome' in l) || l.outcome.status !== 'detached').slice(0, 3);
      console.warn(
        `limiter bench, ${processes} processes: ${DETACHES - detachedOutcomes} requests not detached, e.g. ${JSON.stringify(other)}`,
      );
    }
    const label = `${processes} processes sharing Redis`;
    return [
      atLeast(
        `${label}: sustained Tencent DetachPolicy rate / ${LIMIT_PER_SECOND} per s`,
        rate / LIMIT_PER_SECOND,
        GOALS.limiterRateMin,
      ),
      atMost(
        `${label}: throttled calls (RequestLimitExceeded) / all DetachPolicy calls`,
        throttledPercent,
        GOALS.limiterThrottledPercentMax,
        '%',
      ),
      {
        name: `${label}: DetachPolicy calls counted (the sandbox's log), throttled among them`,
        value: calls.length,
        unit: `calls, ${throttled} throttled`,
      },
      { name: `${label}: applied detaches per s, first to last`, value: rate, unit: '/s' },
      { name: `${label}: first to last applied detach`, value: spanSeconds * 1000, unit: 'ms' },
      {
        name: `${label}: detaches applied at the sandbox (and detached outcomes)`,
        value: applied.length,
        unit: `detaches (${detachedOutcomes} outcomes)`,
        goal: `= ${DETACHES}`,
        met: applied.length === DETACHES && detachedOutcomes === DETACHES,
      },
      // The machine is shared: lateness under load bunches calls that were sent evenly spaced.
      {
        name: `${label}: machine load average (1 min) when the run started`,
        value: load,
        unit: `(${cpus().length} cores)`,
      },
    ];
  } finally {
    stopDeliverers(workers);
    await store.clear().catch(() => undefined);
    await store.close();
  }
}

const NAIVE_LABEL = {
  sequential: 'naive sequential loop',
  unbounded: 'naive unbounded Promise.all',
} as const;
/**
 * Each naive run stops here even if unfinished (800 detaches take 40 s at the limit): its rows say how many
 * were applied, and keep the bench within its time.
 */
const NAIVE_CAP_MS = 10_000;

/**
 * Reference rows, no goals: the same 800 Tencent detaches against the same world, made with the raw vendor
 * SDK in one process as a script without any pacing would: (a) one after another, (b) all at once with
 * `Promise.all`; a throttled call is tried again at once (the SDK itself does not retry), any other error
 * ends that detach. The rate is taken as for the limiter (applied detaches between the first and the last
 * one, as the script saw them), the throttled share from the sandbox's call counts.
 */
async function naiveReference(url: string, mode: 'sequential' | 'unbounded'): Promise<BenchRow[]> {
  await admin(url, 'PUT', 'state', world());
  await admin(url, 'DELETE', 'calls');
  // The sandbox counts calls in any sliding second: let the previous run's calls leave the window.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const client = tencentClient(url);
  const appliedAt: number[] = [];
  const failed: string[] = [];
  const stopAt = performance.now() + NAIVE_CAP_MS;
  const detachOne = async (j: number) => {
    while (performance.now() < stopAt) {
      try {
        await client.DetachPolicy({
          PolicyId: FIRST_POLICY + j,
          TargetId: NODE,
          TargetType: 'NODE',
          Type: 'SERVICE_CONTROL_POLICY',
        });
        appliedAt.push(performance.now());
        return;
      } catch (error) {
        const code = String((error as { code?: unknown }).code ?? error);
        if (code.startsWith('RequestLimitExceeded')) continue;
        failed.push(code);
        return;
      }
    }
  };
  if (mode === 'sequential') for (let j = 0; j < DETACHES; j++) await detachOne(j);
  else await Promise.all(Array.from({ length: DETACHES }, (_, j) => detachOne(j)));

  const counts = (await admin(url, 'GET', 'calls/count')) as CallCounts;
  const detaches = counts.byAction['tencent:DetachPolicy'] ?? { total: 0, applied: 0, errors: 0 };
  const throttled = detaches.total - detaches.applied - failed.length;
  const spanSeconds = ((appliedAt.at(-1) ?? 0) - (appliedAt[0] ?? 0)) / 1000;
  const rate = spanSeconds > 0 ? (appliedAt.length - 1) / spanSeconds : 0;
  if (failed.length > 0)
    console.warn(
      `limiter bench, ${NAIVE_LABEL[mode]}: ${appliedAt.length} of ${DETACHES} applied, other errors: ${failed.slice(0, 3).join(', ')}`,
    );
  const label = NAIVE_LABEL[mode];
  return [
    {
      name: `reference, ${label} (raw SDK, 1 process, throttled calls retried at once): rate / ${LIMIT_PER_SECOND} per s`,
      value: rate / LIMIT_PER_SECOND,
      unit: 'ratio',
    },
    {
      name: `reference, ${label}: throttled calls / all DetachPolicy calls`,
      value: detaches.total > 0 ? (throttled / detaches.total) * 100 : 0,
      unit: '%',
    },
    {
      name: `reference, ${label}: DetachPolicy calls made`,
      value: detaches.total,
      unit: `calls for ${detaches.applied} applied detaches in ${Math.round(spanSeconds * 1000)} ms`,
    },
  ];
}
