import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStoreError } from '../../../shared/state/errors';
import { openStateStore } from '../../../shared/state/open';
import { SqliteStore } from '../../../shared/state/sqlite';
import { describeStateStoreContract } from '../../contract/state-store.contract';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A fresh file in a directory that does not exist yet, removed after the test. */
function freshPath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'remediate-state-'));
  directories.push(directory);
  return join(directory, 'nested', 'state.db');
}

describeStateStoreContract('SqliteStore', () => new SqliteStore(freshPath()));

describe('SqliteStore', () => {
  const T0 = 1_700_000_000_000;

  it('creates its directory and a WAL database with a versioned schema', async () => {
    const path = freshPath();
    await new SqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });

  it('keeps everything across close and reopen', async () => {
    const path = freshPath();
    const first = openStateStore(`sqlite:${path}`, { createDirectory: true });
    await first.claim('k', 'a', 60_000, T0);
    await first.complete('k', 'a', { status: 'remediated' }, 60_000, T0);
    await first.putDeadLetter({ id: 'd', createdAt: T0, record: { reason: 'conflict' } });
    await first.tryCountInWindow('acct', 1, 60_000, T0);
    await first.close();

    const second = openStateStore(`sqlite:${path}`);
    expect(second.kind).toBe('sqlite');
    expect(await second.claim('k', 'b', 60_000, T0 + 1)).toEqual({
      kind: 'completed',
      outcome: { status: 'remediated' },
    });
    expect(await second.getDeadLetter('d')).toEqual({
      id: 'd',
      createdAt: T0,
      record: { reason: 'conflict' },
    });
    expect(await second.tryCountInWindow('acct', 1, 60_000, T0 + 1)).toEqual({ allowed: false, count: 1 });
    await second.close();
  });

  it('behaves as one store when two instances share the file', async () => {
    const path = freshPath();
    const [a, b] = [new SqliteStore(path), new SqliteStore(path)];
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim('k', `o${i}`, 60_000, T0)),
    );
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    const slots = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserveSlot('api', 10, 1_000, T0)),
    );
    expect(new Set(slots).size).toBe(20);
    await a.putDeadLetter({ id: 'd', createdAt: T0, record: null });
    expect(await b.countDeadLetters()).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('purges expired rows a bounded batch at a time', async () => {
    const path = freshPath();
    const store = new SqliteStore(path);
    for (let i = 0; i < 100; i++) await store.rememberOnce(`k${i}`, 1_000, T0);
    const rows = () => {
      const db = new Database(path, { readonly: true });
      const n = (db.prepare('SELECT count(*) AS n FROM remembered').get() as { n: number }).n;
      db.close();
      return n;
    };
    await store.rememberOnce('late', 1_000, T0 + 5_000);
    expect(rows()).toBe(100 - 32 + 1);
    for (let i = 0; i < 3; i++) await store.rememberOnce('late', 1_000, T0 + 5_000);
    expect(rows()).toBe(1);
    await store.close();
  });

  it('refuses a schema newer than it knows, and fails calls after close, as StateStoreError', async () => {
    const path = freshPath();
    await new SqliteStore(path).close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => new SqliteStore(path)).toThrow(/schema version 99; this build knows up to 1/);

    const closed = new SqliteStore(freshPath());
    await closed.close();
    await expect(closed.countDeadLetters()).rejects.toThrow(StateStoreError);
    await expect(closed.countDeadLetters()).rejects.toThrow(/sqlite state store: countDeadLetters failed/);
  });
});
