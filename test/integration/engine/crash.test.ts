import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../../sandbox/calls';
import { faultConfigSchema, NO_FAULTS } from '../../../sandbox/faults';
import type { Outcome } from '../../../shared/outcomes';
import { RedisStore } from '../../../shared/state/redis';
import { SqliteStore } from '../../../shared/state/sqlite';
import type { StateStore } from '../../../shared/state/types';
import { TEST_REDIS_URL } from '../../helpers/redis';
import { useSandbox } from '../../helpers/sandbox';
import { type Deliverer, startDeliverer, stopDeliverers, type WorkerOptions } from './deliver-worker';
import { ACCOUNT, oneAttachmentWorld, REDIS_NOT_REACHABLE, REQUEST } from './one-attachment';

const REDIS_URL = TEST_REDIS_URL;
/** A short REMEDIATE_DEADLINE_MS-like budget, so the dead process's claim lease (min(15 min, budget)) is short. */
const SHORT_DEADLINE_MS = 3_000;
/** Two tsx processes per test start in seconds on a busy two-core machine. */
const TIMEOUT_MS = 60_000;

const sandbox = useSandbox(oneAttachmentWorld);
const attachments = () => sandbox.current.world.alibaba.accounts[ACCOUNT]?.attachments ?? [];
const detachCalls = () => sandbox.current.calls.totals().byAction['alibaba:DetachPolicy'];

async function only(deliverer: Deliverer, eventId: string, deadlineMs: number): Promise<Outcome> {
  const [line, ...rest] = await deliverer.deliver({
    tag: randomUUID(),
    deliveries: [{ eventId, request: REQUEST }],
    deadlineMs,
  });
  expect(rest).toEqual([]);
  if (!line || !('outcome' in line)) throw new Error(`the delivery failed: ${JSON.stringify(line)}`);
  return line.outcome;
}

interface Crash {
  /** The fault the sandbox injects on DetachPolicy while the first process runs. */
  fault: 'drop' | 'drop-after';
  /** The sandbox call on which the first process is killed. */
  killOn(call: CallRecord): boolean;
  /** Whether the dead process's detach reached the world. */
  applied: boolean;
}

/**
 * Kills the first process (SIGKILL, from the sandbox's call hook, before the call's response is written)
 * during its DetachPolicy; then a second process redelivers the same event on the same store: at once,
 * and again once the dead process's lease has run out, and once more. Answers the redeliveries' outcomes.
 */
async function crashThenRedeliver(
  options: Omit<WorkerOptions, 'url'>,
  crash: Crash,
): Promise<{ immediate: Outcome; afterLease: Outcome; again: Outcome }> {
  sandbox.current.reset();
  const victim = startDeliverer({ ...options, url: sandbox.current.url });
  const redeliverer = startDeliverer({ ...options, url: sandbox.current.url });
  const kill = (call: CallRecord) => {
    if (call.action === 'DetachPolicy' && crash.killOn(call)) victim.child.kill('SIGKILL');
  };
  try {
    await Promise.all([victim.ready, redeliverer.ready]);
    const eventId = `evt-${randomUUID()}`;
    // Belt and braces: the kill lands before the response is written, and the fault drops the
    // connection in any case, so the first process can never learn how its call ended.
    sandbox.current.faults.set(
      faultConfigSchema.parse({ rates: { [crash.fault]: 1 }, actions: ['DetachPolicy'] }),
    );
    sandbox.current.on('call', kill);
    victim
      .deliver({ tag: 'first', deliveries: [{ eventId, request: REQUEST }], deadlineMs: SHORT_DEADLINE_MS })
      .catch(() => undefined);
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    sandbox.current.off('call', kill);
    sandbox.current.faults.set(NO_FAULTS);
    // Killed before it could print (or store) anything.
    expect(victim.lines).toEqual([{ ready: true }]);
    expect(detachCalls()).toMatchObject({ total: 1, applied: crash.applied ? 1 : 0 });
    expect(attachments()).toHaveLength(crash.applied ? 0 : 1);

    const immediate = await only(redeliverer, eventId, 10_000);
    const until = Date.parse(/^claimed elsewhere until (\S+)$/.exec(immediate.hint ?? '')?.[1] ?? '');
    expect(until - Date.now()).toBeLessThanOrEqual(SHORT_DEADLINE_MS);
    await sleep(Math.max(0, until - Date.now()) + 50);
    const afterLease = await only(redeliverer, eventId, 10_000);
    const again = await only(redeliverer, eventId, 10_000);
    await redeliverer.close();
    return { immediate, afterLease, again };
  } finally {
    sandbox.current.off('call', kill);
    sandbox.current.faults.set(NO_FAULTS);
    stopDeliverers([victim, redeliverer]);
  }
}

const AFTER_APPLIED: Crash = { fault: 'drop-after', killOn: (call) => call.applied, applied: true };
const BEFORE_APPLIED: Crash = {
  fault: 'drop',
  killOn: (call) => call.fault === 'drop' && !call.applied,
  applied: false,
};

async function expectAlreadyCompliant(options: Omit<WorkerOptions, 'url'>, store: StateStore): Promise<void> {
  const { immediate, afterLease, again } = await crashThenRedeliver(options, AFTER_APPLIED);
  expect(immediate).toMatchObject({ status: 'retry-later', attempts: 0 });
  expect(afterLease).toMatchObject({ status: 'already-compliant', attempts: 1 });
  expect(afterLease.duplicate).toBeUndefined();
  expect(again).toMatchObject({ status: 'already-compliant', duplicate: true });
  // The dead process's detach was applied; the redelivery's own call found nothing left to detach.
  expect(detachCalls()).toEqual({ total: 2, applied: 1, errors: 1 });
  expect(sandbox.current.calls.totals().applied).toBe(1);
  expect(attachments()).toEqual([]);
  expect(await store.countDeadLetters()).toBe(0);
}

async function expectDetached(options: Omit<WorkerOptions, 'url'>, store: StateStore): Promise<void> {
  const { immediate, afterLease, again } = await crashThenRedeliver(options, BEFORE_APPLIED);
  expect(immediate).toMatchObject({ status: 'retry-later', attempts: 0 });
  expect(afterLease).toMatchObject({ status: 'detached', attempts: 1 });
  expect(afterLease.duplicate).toBeUndefined();
  expect(again).toMatchObject({ status: 'detached', duplicate: true });
  expect(detachCalls()).toEqual({ total: 2, applied: 1, errors: 0 });
  expect(sandbox.current.calls.totals().applied).toBe(1);
  expect(attachments()).toEqual([]);
  expect(await store.countDeadLetters()).toBe(0);
}

describe('a process killed in the middle of its cloud call; the event redelivered to another', () => {
  const directory = mkdtempSync(join(tmpdir(), 'remediate-crash-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  describe('on one sqlite file', () => {
    const withStore = async (body: (spec: string, store: StateStore) => Promise<void>) => {
      const path = join(directory, `${randomUUID()}.db`);
      const store = new SqliteStore(path);
      try {
        await body(`sqlite:${path}`, store);
      } finally {
        await store.close();
      }
    };

    it(
      'killed after the detach was applied, before recording it: retry-later, then already-compliant',
      () => withStore((spec, store) => expectAlreadyCompliant({ spec }, store)),
      TIMEOUT_MS,
    );

    it(
      'killed before the detach was applied: retry-later, then detached',
      () => withStore((spec, store) => expectDetached({ spec }, store)),
      TIMEOUT_MS,
    );
  });

  describe('on Redis', () => {
    const withStore = async (
      body: (options: Omit<WorkerOptions, 'url'>, store: StateStore) => Promise<void>,
    ) => {
      const keyPrefix = `remediate-test-${randomUUID()}:`;
      const store = new RedisStore({ url: REDIS_URL, keyPrefix });
      try {
        await store.countDeadLetters().catch((error: unknown) => {
          throw new Error(REDIS_NOT_REACHABLE, { cause: error });
        });
        await body({ spec: REDIS_URL, keyPrefix }, store);
      } finally {
        await store.clear().catch(() => undefined);
        await store.close();
      }
    };

    it(
      'killed after the detach was applied, before recording it: retry-later, then already-compliant',
      () => withStore((options, store) => expectAlreadyCompliant(options, store)),
      TIMEOUT_MS,
    );

    it(
      'killed before the detach was applied: retry-later, then detached',
      () => withStore((options, store) => expectDetached(options, store)),
      TIMEOUT_MS,
    );
  });
});
