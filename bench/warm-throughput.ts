import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queueBatchEvent } from '../infra/local/platform-events';
import { emptyWorld } from '../sandbox/world';
import { admin, builtBundles, bundlePath, type ChildRun, median, runNode, STS_ROLE } from './bundles';
import { startServer } from './child';
import type { BenchRow } from './table';

const MESSAGES = 1_000;
const WARM_UP = 8;
/** queue-cleanup's own: functions/queue-cleanup/run.ts CONCURRENCY. */
const CONCURRENCY = 8;
/** Measured rounds; each runs the function and the baseline once, in alternating order. */
const ROUNDS = 7;
const RATE_GOAL = 0.8;
const RSS_GOAL_MB = 128;
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
}

/**
 * Warm throughput: one process of the built Alibaba queue-cleanup bundle (REMEDIATE_STATE=memory, the
 * function's own process so its RSS is the function's), warmed with an 8-message batch, then one
 * 1,000-message MNS batch of distinct valid detaches; vs a child making the same 1,000 detaches with the
 * vendor SDK in a plain loop at queue-cleanup's concurrency (8). The sandbox runs in its own process and
 * its world is reloaded before each run. The two take turns round by round; the rates are medians, the
 * ratio the median of the rounds' ratios, the peak RSS the highest of the function's runs.
 */
export async function warmThroughput(): Promise<BenchRow[]> {
  const { dir } = await builtBundles();
  const work = mkdtempSync(join(tmpdir(), 'remediate-bench-warm-'));
  const sandbox = await startServer(join(__dirname, 'servers/sandbox.ts'));
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

    const sides = {
      function: () =>
        runNode(
          join(__dirname, 'warm', 'queue-cleanup.cjs'),
          [bundlePath(dir, 'alibaba', 'queue-cleanup'), files.warmEvent, files.batchEvent],
          {
            BENCH_ROLE: role,
            REMEDIATE_STATE: 'memory',
            REMEDIATE_RULES: files.rules,
            REMEDIATE_ALIBABA_ENDPOINT: sandbox.url,
            LOG_LEVEL: 'info',
          },
        ),
      raw: () =>
        runNode(
          join(__dirname, 'warm', 'raw-alibaba.cjs'),
          [files.warmList, files.list, String(CONCURRENCY)],
          {
            BENCH_ROLE: role,
            BENCH_ENDPOINT: sandbox.url,
          },
        ),
    } satisfies Record<string, () => Promise<ChildRun>>;
    type Side = keyof typeof sides;

    const run = async (side: Side): Promise<Result> => {
      await admin(sandbox.url, 'PUT', 'state', state);
      await admin(sandbox.url, 'DELETE', 'calls');
      const child = await sides[side]();
      if (child.code !== 0)
        throw new Error(`warm throughput ${side}: exit ${child.code}\n${child.stdout}${child.stderr}`);
      const result = JSON.parse(child.stdout) as Result;
      if (
        side === 'function' &&
        (result.counts?.detached !== MESSAGES || result.warmUp?.detached !== WARM_UP)
      )
        throw new Error(`warm throughput: the batch settled ${JSON.stringify(result)}`);
      const counts = (await admin(sandbox.url, 'GET', 'calls/count')) as {
        mutating: number;
        applied: number;
      };
      const expected = WARM_UP + MESSAGES;
      if (counts.mutating !== expected || counts.applied !== expected)
        throw new Error(
          `warm throughput ${side}: expected ${expected} applied detaches, saw ${JSON.stringify(counts)}`,
        );
      return result;
    };

    const results: Record<Side, Result[]> = { function: [], raw: [] };
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order: Side[] = round % 2 === 0 ? ['function', 'raw'] : ['raw', 'function'];
      const seen: Partial<Record<Side, Result>> = {};
      for (const side of order) {
        seen[side] = await run(side);
        results[side].push(seen[side]);
      }
      ratios.push((seen.raw?.ms ?? 0) / (seen.function?.ms ?? 1));
    }

    const rate = (side: Side) => MESSAGES / (median(results[side].map((r) => r.ms)) / 1000);
    const ratio = median(ratios);
    const peakMb = (side: Side) => Math.max(...results[side].map((r) => r.maxRssKiB)) / 1024;
    const functionPeak = peakMb('function');
    return [
      {
        name: `queue-cleanup bundle, ${MESSAGES}-message batch, ${CONCURRENCY} in flight: messages/s`,
        value: rate('function'),
        unit: 'msg/s',
      },
      {
        name: `raw SDK loop, same ${MESSAGES} detaches, ${CONCURRENCY} in flight: detaches/s`,
        value: rate('raw'),
        unit: '/s',
      },
      {
        name: 'warm throughput queue-cleanup / raw SDK loop',
        value: ratio,
        unit: 'ratio',
        goal: `>= ${RATE_GOAL}`,
        met: ratio >= RATE_GOAL,
      },
      {
        name: 'queue-cleanup process peak RSS (highest of the runs)',
        value: functionPeak,
        unit: 'MB',
        goal: `<= ${RSS_GOAL_MB} MB`,
        met: functionPeak <= RSS_GOAL_MB,
      },
      { name: 'raw SDK loop process peak RSS, for reference', value: peakMb('raw'), unit: 'MB' },
    ];
  } finally {
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
