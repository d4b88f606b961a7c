import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../../shared/outcomes';
import { RedisStore } from '../../../shared/state/redis';
import { SqliteStore } from '../../../shared/state/sqlite';
import type { StateStore } from '../../../shared/state/types';
import { TEST_REDIS_URL } from '../../helpers/redis';
import { useSandbox } from '../../helpers/sandbox';
import { type Deliverer, startDeliverer, stopDeliverers, type WorkerOptions } from './deliver-worker';
import { ACCOUNT, oneAttachmentWorld, REDIS_NOT_REACHABLE, REQUEST } from './one-attachment';

const PROCESSES = 4;
const DELIVERIES = 50;
const REDIS_URL = TEST_REDIS_URL;
/** Four tsx processes start in seconds on a busy two-core machine (the whole suite runs beside them). */
const TIMEOUT_MS = 60_000;

const sandbox = useSandbox(oneAttachmentWorld);

/**
 * Starts the processes, waits until each has opened the store, then gives every one its share of the 50
 * deliveries (13, 13, 12, 12) at once; each process starts all of its share concurrently.
 */
async function deliverEverywhere(options: Omit<WorkerOptions, 'url'>): Promise<Outcome[]> {
  sandbox.current.reset();
  const workers: Deliverer[] = Array.from({ length: PROCESSES }, () =>
    startDeliverer({ ...options, url: sandbox.current.url }),
  );
  try {
    await Promise.all(workers.map((w) => w.ready));
    const eventId = `evt-${randomUUID()}`;
    const shares = workers.map(
      (_, i) => Math.floor(DELIVERIES / PROCESSES) + (i < DELIVERIES % PROCESSES ? 1 : 0),
    );
    const results = await Promise.all(
      workers.map((w, i) =>
        w.deliver({
          tag: 'race',
          deliveries: Array.from({ length: shares[i] ?? 0 }, () => ({ eventId, request: REQUEST })),
          deadlineMs: 20_000,
        }),
      ),
    );
    await Promise.all(workers.map((w) => w.close()));
    return results.flat().map((line) => {
      if (!('outcome' in line)) throw new Error(`a delivery failed: ${line.error}`);
      return line.outcome;
    });
  } finally {
    stopDeliverers(workers);
  }
}

async function expectExactlyOneDetach(outcomes: Outcome[], store: StateStore): Promise<void> {
  expect(outcomes).toHaveLength(DELIVERIES);
  const acted = outcomes.filter((o) => o.status === 'detached' && !o.duplicate);
  const duplicates = outcomes.filter((o) => o.status === 'detached' && o.duplicate);
  const later = outcomes.filter((o) => o.status === 'retry-later');
  // Every delivery ended as the one that acted, a duplicate of it, or retry-later (claimed elsewhere).
  expect(acted).toHaveLength(1);
  expect(acted[0]).toMatchObject({ attempts: 1 });
  expect(acted.length + duplicates.length + later.length).toBe(DELIVERIES);
  for (const o of later) expect(o.hint).toMatch(/^claimed elsewhere until /);
  expect(outcomes.filter((o) => o.status === 'dead-lettered')).toEqual([]);
  expect(await store.countDeadLetters()).toBe(0);

  const totals = sandbox.current.calls.totals();
  // The design's guarantee is stronger than one applied call: only the claim holder calls the cloud at all.
  expect(totals.byAction['alibaba:DetachPolicy']).toEqual({ total: 1, applied: 1, errors: 0 });
  expect(totals).toMatchObject({ mutating: 1, applied: 1 });
  expect(sandbox.current.world.alibaba.accounts[ACCOUNT]?.attachments).toEqual([]);
}

describe(`${DELIVERIES} deliveries of the same request across ${PROCESSES} processes`, () => {
  const directory = mkdtempSync(join(tmpdir(), 'remediate-deliveries-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it(
    'on one sqlite file: exactly one mutating call at the sandbox',
    async () => {
      const path = join(directory, 'state.db');
      const outcomes = await deliverEverywhere({ spec: `sqlite:${path}` });
      const store = new SqliteStore(path);
      try {
        await expectExactlyOneDetach(outcomes, store);
      } finally {
        await store.close();
      }
    },
    TIMEOUT_MS,
  );

  it(
    'on Redis: exactly one mutating call at the sandbox',
    async () => {
      const keyPrefix = `remediate-test-${randomUUID()}:`;
      const store = new RedisStore({ url: REDIS_URL, keyPrefix });
      try {
        await store.countDeadLetters().catch((error: unknown) => {
          throw new Error(REDIS_NOT_REACHABLE, { cause: error });
        });
        const outcomes = await deliverEverywhere({ spec: REDIS_URL, keyPrefix });
        await expectExactlyOneDetach(outcomes, store);
      } finally {
        await store.clear().catch(() => undefined);
        await store.close();
      }
    },
    TIMEOUT_MS,
  );
});
