/**
 * One racer of multi-process.test.ts: opens the store, says "ready", waits for "go" on stdin, claims every
 * key, completes the ones it won with its name, and prints those keys as JSON.
 * Usage: node --import tsx claim-worker.ts '{"spec":"sqlite:/tmp/x.db","keyPrefix":"…","owner":"w1","keys":50}'
 */
import { createInterface } from 'node:readline';
import { openStateStore } from '../../../shared/state/open';
import { RedisStore } from '../../../shared/state/redis';
import type { StateStore } from '../../../shared/state/types';

interface WorkerOptions {
  spec: string;
  /** Redis only: the test run's key prefix. */
  keyPrefix?: string;
  owner: string;
  keys: number;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '') as WorkerOptions;
  const store: StateStore = options.spec.startsWith('redis')
    ? new RedisStore({ url: options.spec, keyPrefix: options.keyPrefix })
    : openStateStore(options.spec);
  await store.countDeadLetters(); // connected (or migrated) before the race starts
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) =>
    createInterface({ input: process.stdin }).once('line', () => resolve()),
  );

  // Each racer walks the keys in its own random order, pausing a millisecond between keys, so the processes
  // overlap for the whole run (without the pause, the first process to wake up would finish all the keys,
  // at tens of microseconds each, before the others start; in one shared order, it would win them all).
  const order = Array.from({ length: options.keys }, (_, i) => `key-${i}`).sort(() => Math.random() - 0.5);
  const won: string[] = [];
  for (const key of order) {
    const result = await store.claim(key, options.owner, 60_000, Date.now());
    if (result.kind === 'claimed') {
      won.push(key);
      await store.complete(key, options.owner, { owner: options.owner }, 60_000, Date.now());
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  process.stdout.write(`${JSON.stringify(won)}\n`);
  await store.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
