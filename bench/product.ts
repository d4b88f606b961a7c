// The one place the benches touch the product's own modules (shared/, functions/, the engine's test
// worker). When those modules move (e.g. the provider registry, or Engine taking its operations in its
// config), only this file changes.
import { join } from 'node:path';
import type { SqliteStore } from '../shared/state/sqlite';

export { EMPTY_RULES } from '../shared/config/rules';
export type { Delivery } from '../shared/engine/delivery';
export { Engine, type EngineConfig } from '../shared/engine/engine';
export { type ExecuteOptions, executeRequest } from '../shared/engine/execute';
export { REDACTED_PATHS } from '../shared/logger';
export type { Outcome } from '../shared/outcomes';
export { ALL_CLOUDS, ALL_OPERATIONS } from '../shared/providers/all';
export { ATTACHMENT_LISTERS } from '../shared/providers/listers';
export type { ListingResult } from '../shared/providers/listing';
export type { Presence, ProviderContext } from '../shared/providers/types';
export {
  type AlibabaDetachPolicy,
  type HuaweiDetachAgencyPolicy,
  type Provider,
  parseRequest,
  type RemediationRequest,
  type TencentDetachPolicy,
} from '../shared/requests';
export { MemoryStore } from '../shared/state/memory';
export { RedisStore } from '../shared/state/redis';
export { SqliteStore } from '../shared/state/sqlite';
export type { StateStore } from '../shared/state/types';
export { SANDBOX_CREDENTIALS } from '../test/helpers/engine';
export { type Deliverer, startDeliverer, stopDeliverers } from '../test/integration/engine/deliver-worker';

/** A function's TypeScript entry (the `functions/<function>/<cloud>.ts` contract), run with tsx. */
export const functionSource = (fn: string, cloud: string): string =>
  join(__dirname, '..', 'functions', fn, `${cloud}.ts`);

/**
 * The durability a SqliteStore runs with, as its own connection reports it: journal_mode is a property of
 * the file, but synchronous is per connection, so a second connection could not tell. The store keeps its
 * better-sqlite3 handle private; reading it here is the bench's business only.
 */
export function sqliteDurability(store: SqliteStore): { journalMode: string; synchronous: string } {
  const db = (store as unknown as { db?: { pragma(text: string, options: { simple: true }): unknown } }).db;
  if (!db) return { journalMode: 'unknown', synchronous: 'unknown' };
  const synchronous = Number(db.pragma('synchronous', { simple: true }));
  return {
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    // https://www.sqlite.org/pragma.html#pragma_synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    synchronous: ['OFF', 'NORMAL', 'FULL', 'EXTRA'][synchronous] ?? String(synchronous),
  };
}
