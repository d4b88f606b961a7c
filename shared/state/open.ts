import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, defaultStateSpec } from '../config/environment';
import { MemoryStore } from './memory';
import { RedisStore } from './redis';
import { SqliteStore } from './sqlite';
import type { StateStore } from './types';

export const STATE_SPEC_FORMS =
  'memory, sqlite:PATH, redis://[user:password@]HOST:PORT[/DB] or rediss://… (TLS)';

export interface OpenStateOptions {
  /** Create the folder of a sqlite: path (npm start creates its store); the default store's always is. */
  createDirectory?: boolean;
  /** A command that only reads (dlq list): a sqlite: file that does not exist is an error, not a new store. */
  mustExist?: boolean;
}

/**
 * The store named by REMEDIATE_STATE. Opening is synchronous: SQLite opens (and migrates) at once; Redis
 * connects in the background and its first call fails within about a second when Redis is not there.
 * A mistyped sqlite: path is an error naming REMEDIATE_STATE, never a new empty store somewhere.
 */
export function openStateStore(spec: string, options: OpenStateOptions = {}): StateStore {
  if (spec === 'memory') return new MemoryStore();
  if (spec.startsWith('sqlite:') && spec.length > 'sqlite:'.length) {
    const path = spec.slice('sqlite:'.length);
    const create =
      options.createDirectory || resolve(path) === resolve(defaultStateSpec().slice('sqlite:'.length));
    if (!create && !existsSync(dirname(resolve(path))))
      throw new ConfigError(
        `REMEDIATE_STATE: the folder of ${spec} does not exist (${dirname(resolve(path))}); check the path`,
      );
    if (options.mustExist && !existsSync(path))
      throw new ConfigError(`REMEDIATE_STATE: there is no state store at ${spec}; check the path`);
    return new SqliteStore(path);
  }
  if (/^rediss?:\/\/[^/]/.test(spec)) {
    if (!URL.canParse(spec))
      throw new ConfigError(`REMEDIATE_STATE: not a valid Redis URL; use ${STATE_SPEC_FORMS}`);
    return new RedisStore({ url: spec });
  }
  // Only the scheme is echoed: a mistyped URL may still carry a password.
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(spec)?.[0];
  const got = spec === '' ? 'empty' : scheme ? `starts with "${scheme}"` : 'unrecognised';
  throw new ConfigError(`REMEDIATE_STATE: must be ${STATE_SPEC_FORMS} (got: ${got})`);
}
