import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { toJson, translateError } from './errors';
import type { ClaimResult, SendDecision, StateStore, StoredDeadLetter } from './types';

const SCHEMA_VERSION = 1;
/** Expired rows deleted per call at most, so a backlog never makes one call slow. */
const PURGE_BATCH = 32;

// Times are epoch ms; `expires_at` is the lease end while in progress and the retention end once completed.
const SCHEMA_V1 = `
  CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY, owner TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('in-progress', 'completed')),
    outcome TEXT, expires_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS idempotency_expiry ON idempotency (expires_at);
  CREATE TABLE IF NOT EXISTS remembered (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS remembered_expiry ON remembered (expires_at);
  CREATE TABLE IF NOT EXISTS dead_letters (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, letter TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS dead_letters_order ON dead_letters (created_at, id);
  CREATE TABLE IF NOT EXISTS actions (key TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS actions_window ON actions (key, at);
  CREATE INDEX IF NOT EXISTS actions_expiry ON actions (expires_at);
  CREATE TABLE IF NOT EXISTS slots (key TEXT PRIMARY KEY, tat REAL NOT NULL) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS slots_expiry ON slots (tat);`;

interface IdempotencyRow {
  owner: string;
  status: 'in-progress' | 'completed';
  outcome: string | null;
  expires_at: number;
}

/**
 * better-sqlite3, the embedded default: durable, and safe for several processes sharing the file. WAL lets
 * readers run beside the one writer; every read-decide-write is a BEGIN IMMEDIATE transaction, which takes
 * the write lock before reading, so two processes can never both decide on the same stale row; a busy
 * timeout makes the others wait for the lock instead of failing.
 */
export class SqliteStore implements StateStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    let db: Database.Database | undefined;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      // Required here, not imported: function bundles leave this native module out and use Redis.
      const Sqlite = require('better-sqlite3') as typeof Database;
      db = new Sqlite(path);
      // Set first, so that even switching to WAL and migrating wait for a busy file instead of failing.
      db.pragma('busy_timeout = 5000');
      db.pragma('journal_mode = WAL');
      db.transaction(migrate).immediate(db);
      this.db = db;
    } catch (error) {
      db?.close();
      throw translateError('sqlite', `open ${path}`, error);
    }
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared once per text: the SQL below is all constant apart from its parameters. */
  private sql(text: string): Database.Statement {
    const cached = this.statements.get(text);
    if (cached) return cached;
    const statement = this.db.prepare(text);
    this.statements.set(text, statement);
    return statement;
  }

  /** A read-decide-write: BEGIN IMMEDIATE takes the write lock before the first read. */
  private run<T>(operation: string, body: () => T): Promise<T> {
    return this.read(operation, () => this.db.transaction(body).immediate());
  }

  /** A single statement is atomic by itself, and WAL readers never wait for the writer. */
  private read<T>(operation: string, body: () => T): Promise<T> {
    try {
      return Promise.resolve(body());
    } catch (error) {
      return Promise.reject(translateError('sqlite', operation, error));
    }
  }

  private purge(table: 'idempotency' | 'remembered' | 'actions', now: number): void {
    const id = table === 'actions' ? 'rowid' : 'key';
    this.sql(
      `DELETE FROM ${table} WHERE ${id} IN (SELECT ${id} FROM ${table} WHERE expires_at <= ? LIMIT ${PURGE_BATCH})`,
    ).run(now);
  }

  claim(key: string, owner: string, leaseMs: number, now: number): Promise<ClaimResult> {
    return this.run('claim', () => {
      this.purge('idempotency', now);
      const row = this.sql('SELECT * FROM idempotency WHERE key = ?').get(key) as IdempotencyRow | undefined;
      if (row && row.expires_at > now) {
        return row.status === 'completed'
          ? { kind: 'completed', outcome: JSON.parse(row.outcome ?? 'null') }
          : { kind: 'in-progress', leaseExpiresAt: row.expires_at };
      }
      this.sql('REPLACE INTO idempotency VALUES (?, ?, ?, NULL, ?)').run(
        key,
        owner,
        'in-progress',
        now + leaseMs,
      );
      return { kind: 'claimed', leaseExpiresAt: now + leaseMs };
    });
  }

  complete(key: string, owner: string, outcome: unknown, ttlMs: number, now: number): Promise<void> {
    return this.run('complete', () => {
      // Recorded even when the lease lapsed or another owner claimed since: the action did happen.
      this.sql(
        `INSERT INTO idempotency VALUES (?, ?, 'completed', ?, ?) ON CONFLICT (key) DO UPDATE SET
           owner = excluded.owner, status = 'completed', outcome = excluded.outcome, expires_at = excluded.expires_at
         WHERE status = 'in-progress' OR expires_at <= ?`,
      ).run(key, owner, toJson(outcome), now + ttlMs, now);
    });
  }

  release(key: string, owner: string): Promise<void> {
    return this.run('release', () => {
      this.sql(`DELETE FROM idempotency WHERE key = ? AND owner = ? AND status = 'in-progress'`).run(
        key,
        owner,
      );
    });
  }

  forget(key: string): Promise<void> {
    return this.run('forget', () => {
      this.sql('DELETE FROM idempotency WHERE key = ?').run(key);
    });
  }

  rememberOnce(key: string, ttlMs: number, now: number): Promise<boolean> {
    return this.run('rememberOnce', () => {
      this.purge('remembered', now);
      const result = this.sql(
        `INSERT INTO remembered VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at
         WHERE expires_at <= ?`,
      ).run(key, now + ttlMs, now);
      return result.changes === 1;
    });
  }

  putDeadLetter(letter: StoredDeadLetter): Promise<void> {
    return this.run('putDeadLetter', () => {
      this.sql('REPLACE INTO dead_letters VALUES (?, ?, ?)').run(letter.id, letter.createdAt, toJson(letter));
    });
  }

  listDeadLetters(limit: number): Promise<StoredDeadLetter[]> {
    return this.read('listDeadLetters', () => {
      const rows = this.sql('SELECT letter FROM dead_letters ORDER BY created_at, id LIMIT ?').all(
        Math.max(0, limit),
      );
      return (rows as { letter: string }[]).map((row) => JSON.parse(row.letter) as StoredDeadLetter);
    });
  }

  getDeadLetter(id: string): Promise<StoredDeadLetter | undefined> {
    return this.read('getDeadLetter', () => {
      const row = this.sql('SELECT letter FROM dead_letters WHERE id = ?').get(id) as
        | { letter: string }
        | undefined;
      return row === undefined ? undefined : (JSON.parse(row.letter) as StoredDeadLetter);
    });
  }

  deleteDeadLetter(id: string): Promise<boolean> {
    return this.run(
      'deleteDeadLetter',
      () => this.sql('DELETE FROM dead_letters WHERE id = ?').run(id).changes > 0,
    );
  }

  countDeadLetters(): Promise<number> {
    return this.read('countDeadLetters', () => this.count('SELECT count(*) AS n FROM dead_letters'));
  }

  tryCountInWindow(key: string, limit: number, windowMs: number, now: number) {
    return this.run('tryCountInWindow', () => {
      this.purge('actions', now);
      const count = this.count(
        'SELECT count(*) AS n FROM actions WHERE key = ? AND at > ?',
        key,
        now - windowMs,
      );
      if (count >= limit) return { allowed: false, count };
      this.sql('INSERT INTO actions VALUES (?, ?, ?)').run(key, now, now + windowMs);
      return { allowed: true, count: count + 1 };
    });
  }

  async now(): Promise<number> {
    return Date.now();
  }

  uncountInWindow(key: string, at: number) {
    return this.run('uncountInWindow', () => {
      this.sql(
        'DELETE FROM actions WHERE rowid = (SELECT rowid FROM actions WHERE key = ? AND at = ? LIMIT 1)',
      ).run(key, at);
    });
  }

  reserveSlot(key: string, intervalMs: number, maxWaitMs: number, now: number) {
    return this.run('reserveSlot', () => {
      // A slot in the past means the same as no slot, so those rows are the expired ones.
      this.sql(
        `DELETE FROM slots WHERE key IN (SELECT key FROM slots WHERE tat <= ? LIMIT ${PURGE_BATCH})`,
      ).run(now);
      const row = this.sql('SELECT tat FROM slots WHERE key = ?').get(key) as { tat: number } | undefined;
      const tat = Math.max(row?.tat ?? now, now);
      if (tat - now > maxWaitMs) return undefined;
      this.sql('REPLACE INTO slots VALUES (?, ?)').run(key, tat + intervalMs);
      return tat;
    });
  }

  trySendInWindow(
    key: string,
    limit: number,
    windowMs: number,
    now: number,
    at = now,
  ): Promise<SendDecision> {
    // Sends share the actions table (time-indexed rows per key) under keys of their own; a send's id is its
    // rowid.
    const sendKey = `sent:${key}`;
    return this.run('trySendInWindow', (): SendDecision => {
      this.purge('actions', now);
      const limitthNewest = this.sql(
        'SELECT at FROM actions WHERE key = ? AND at > ? ORDER BY at DESC LIMIT 1 OFFSET ?',
      ).get(sendKey, now - windowMs, Math.max(0, limit - 1)) as { at: number } | undefined;
      if (limitthNewest && limit > 0) return { allowed: false, retryAt: limitthNewest.at + windowMs };
      const row = this.sql('INSERT INTO actions VALUES (?, ?, ?)').run(sendKey, at, at + windowMs);
      return { allowed: true, id: String(row.lastInsertRowid) };
    });
  }

  retimeSend(key: string, id: string, at: number, windowMs: number): Promise<void> {
    return this.run('retimeSend', () => {
      this.sql('UPDATE actions SET at = ?, expires_at = ? WHERE rowid = ? AND key = ?').run(
        at,
        at + windowMs,
        Number(id),
        `sent:${key}`,
      );
    });
  }

  clear(): Promise<void> {
    return this.run('clear', () => {
      for (const table of ['idempotency', 'remembered', 'dead_letters', 'actions', 'slots']) {
        this.sql(`DELETE FROM ${table}`).run();
      }
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private count(text: string, ...params: unknown[]): number {
    return (this.sql(text).get(...params) as { n: number }).n;
  }
}

/** Runs inside BEGIN IMMEDIATE, so processes opening a new file at once create the schema exactly once. */
function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`the state file has schema version ${version}; this build knows up to ${SCHEMA_VERSION}`);
  }
  if (version < SCHEMA_VERSION) {
    db.exec(SCHEMA_V1);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }
}
