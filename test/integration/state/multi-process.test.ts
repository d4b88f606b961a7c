import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../../shared/state/redis';
import { SqliteStore } from '../../../shared/state/sqlite';
import type { StateStore } from '../../../shared/state/types';
import { TEST_REDIS_URL } from '../../helpers/redis';

const ROOT = resolve(__dirname, '../../..');
const WORKER = join(__dirname, 'claim-worker.ts');
const WORKERS = 4;
const KEYS = 50;
const REDIS_URL = TEST_REDIS_URL;
const NOT_REACHABLE = 'Redis is not reachable on 127.0.0.1:6379: start it (redis-server) or run .ci/run';

function startWorker(options: Record<string, unknown>): {
  child: ChildProcessWithoutNullStreams;
  done: Promise<string>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(options)], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const done = new Promise<string>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolvePromise(stdout) : reject(new Error(`worker exited ${code}: ${stderr || stdout}`)),
    );
  });
  return { child, done };
}

/** Starts the workers, lets them all open the store, then releases them at once; answers who won what. */
async function race(options: Record<string, unknown>): Promise<Map<string, string[]>> {
  const workers = Array.from({ length: WORKERS }, (_, i) => ({
    owner: `worker-${i}`,
    ...startWorker({ ...options, owner: `worker-${i}`, keys: KEYS }),
  }));
  try {
    await Promise.all(
      workers.map(
        ({ child, done }) =>
          new Promise<void>((ready, failed) => {
            child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready());
            done.catch(failed);
          }),
      ),
    );
    for (const { child } of workers) child.stdin.write('go\n');
    const won = new Map<string, string[]>();
    for (const { owner, done } of workers)
      won.set(owner, JSON.parse((await done).trim().split('\n').at(-1) ?? '[]'));
    return won;
  } finally {
    // A worker that failed or hung must not outlive the test; only our own children are signalled.
    for (const { child, done } of workers) {
      done.catch(() => undefined);
      if (child.exitCode === null) child.kill();
    }
  }
}

async function expectEachKeyClaimedOnce(won: Map<string, string[]>, store: StateStore): Promise<void> {
  const claims = [...won.values()].flat();
  expect(claims).toHaveLength(KEYS);
  expect(new Set(claims).size).toBe(KEYS);
  for (const [owner, keys] of won) {
    for (const key of keys) {
      expect(await store.claim(key, 'checker', 60_000, Date.now())).toEqual({
        kind: 'completed',
        outcome: { owner },
      });
    }
  }
}

describe(`${WORKERS} processes racing to claim the same ${KEYS} keys`, () => {
  const directory = mkdtempSync(join(tmpdir(), 'remediate-race-'));
  const keyPrefix = `remediate-test-${randomUUID()}:`;
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('on one sqlite file (created by the racers themselves): every key claimed exactly once', async () => {
    const path = join(directory, 'state.db');
    const won = await race({ spec: `sqlite:${path}` });
    const store = new SqliteStore(path);
    await expectEachKeyClaimedOnce(won, store);
    await store.close();
  });

  it('on Redis: every key claimed exactly once', async () => {
    const store = new RedisStore({ url: REDIS_URL, keyPrefix });
    try {
      await store.countDeadLetters().catch((error: unknown) => {
        throw new Error(NOT_REACHABLE, { cause: error });
      });
      await expectEachKeyClaimedOnce(await race({ spec: REDIS_URL, keyPrefix }), store);
    } finally {
      await store.clear().catch(() => undefined);
      await store.close();
    }
  });
});
