import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type DeadLetter, deadLetterSchema } from '../../../shared/engine/dead-letters';
import { SqliteStore } from '../../../shared/state/sqlite';
import { runCli } from '../../helpers/cli';

const dir = mkdtempSync(join(tmpdir(), 'remediate-dlq-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = join(dir, 'state.db');
const env = { REMEDIATE_STATE: `sqlite:${path}`, HOME: join(dir, 'home') };
const HOUR = 3_600_000;
/** Several CLI processes per test, each a second or more on a loaded two-core machine. */
const SLOW = 90_000;

function letter(reason: DeadLetter['reason'], provider: string, ageMs: number): DeadLetter {
  const at = new Date(Date.now() - ageMs).toISOString();
  return deadLetterSchema().parse({
    id: randomUUID(),
    createdAt: at,
    source: 'cli',
    request: { provider, operation: 'detach-policy' },
    eventId: `cli:${randomUUID()}`,
    idempotencyKey: 'a'.repeat(64),
    attempts: 1,
    firstAttemptAt: at,
    lastAttemptAt: at,
    reason,
    hint: 'h',
  });
}

const seeded = {
  oldPermission: letter('permission', 'alibaba', 48 * HOUR),
  newPermission: letter('permission', 'tencent', HOUR / 2),
  invalid: letter('invalid-input', 'huawei', HOUR / 2),
};

async function ids(): Promise<string[]> {
  const store = new SqliteStore(path);
  try {
    return (await store.listDeadLetters(100)).map((l) => l.id).sort();
  } finally {
    await store.close();
  }
}
const listed = async (...args: string[]) => {
  const run = await runCli(['dlq', 'list', '--json', ...args], env);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as DeadLetter[]).map((l) => l.id).sort();
};

beforeEach(async () => {
  const store = new SqliteStore(path);
  await store.clear();
  for (const l of Object.values(seeded))
    await store.putDeadLetter({ id: l.id, createdAt: Date.parse(l.createdAt), record: l });
  await store.close();
});

describe('managing dead letters', () => {
  it(
    'dlq list filters by reason, age and provider',
    async () => {
      const [byReason, bySince, byProvider, byAll] = await Promise.all([
        listed('--reason', 'permission'),
        listed('--since', '2h'),
        listed('--provider', 'huawei'),
        listed('--reason', 'permission', '--since', seeded.newPermission.createdAt.slice(0, 10)),
      ]);
      expect(byReason).toEqual([seeded.oldPermission.id, seeded.newPermission.id].sort());
      expect(bySince).toEqual([seeded.newPermission.id, seeded.invalid.id].sort());
      expect(byProvider).toEqual([seeded.invalid.id]);
      expect(byAll).toEqual([seeded.newPermission.id]);
      const bad = await runCli(['dlq', 'list', '--reason', 'nope'], env);
      expect([bad.code, bad.stderr]).toEqual([
        2,
        expect.stringMatching(/--reason: must be one of last-policy/),
      ]);
    },
    SLOW,
  );

  it(
    'dlq delete removes one; an unknown id is an error',
    async () => {
      const run = await runCli(['dlq', 'delete', seeded.invalid.id], env);
      expect([run.code, run.stdout]).toEqual([0, `deleted ${seeded.invalid.id}\n`]);
      expect(await ids()).toEqual([seeded.oldPermission.id, seeded.newPermission.id].sort());
      const again = await runCli(['dlq', 'delete', seeded.invalid.id], env);
      expect([again.code, again.stderr]).toEqual([2, expect.stringMatching(/no dead letter/)]);
    },
    SLOW,
  );

  it(
    'dlq purge --reason deletes what matches, but without a terminal only with --yes',
    async () => {
      const refused = await runCli(['dlq', 'purge', '--reason', 'permission'], env);
      expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/confirm with --yes/)]);
      expect(await ids()).toHaveLength(3);
      const run = await runCli(['dlq', 'purge', '--reason', 'permission', '--yes'], env);
      expect([run.code, run.stdout]).toEqual([0, 'deleted 2 dead letters\n']);
      expect(await ids()).toEqual([seeded.invalid.id]);
    },
    SLOW,
  );
});

describe('a mistyped REMEDIATE_STATE', () => {
  it(
    'is an error naming it, not an empty store that has "no dead letters"',
    async () => {
      const typo = join(dir, 'stat.db');
      const missingFile = await runCli(['dlq', 'list'], { ...env, REMEDIATE_STATE: `sqlite:${typo}` });
      expect([missingFile.code, missingFile.stderr]).toEqual([
        2,
        expect.stringMatching(/^remediate: REMEDIATE_STATE: there is no state store at/),
      ]);
      expect(existsSync(typo)).toBe(false);
      const missingFolder = await runCli(['dlq', 'list'], {
        ...env,
        REMEDIATE_STATE: `sqlite:${join(dir, 'nope', 'state.db')}`,
      });
      expect([missingFolder.code, missingFolder.stderr]).toEqual([
        2,
        expect.stringMatching(/REMEDIATE_STATE: the folder of .* does not exist/),
      ]);
    },
    SLOW,
  );

  it(
    'unset, the store is the per-user one under $HOME, created on first use',
    async () => {
      const { REMEDIATE_STATE: _, ...withoutState } = env;
      // In a folder without its own .remediate/, as most places are.
      const run = await runCli(['dlq', 'list'], withoutState, undefined, dir);
      expect([run.code, run.stdout]).toEqual([0, 'no dead letters\n']);
      expect(existsSync(join(dir, 'home', '.remediate', 'state.db'))).toBe(true);
    },
    SLOW,
  );
});
