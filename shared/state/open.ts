import { ConfigError } from '../config/environment';
import { MemoryStore } from './memory';
import { RedisStore } from './redis';
import { SqliteStore } from './sqlite';
import type { StateStore } from './types';

export const STATE_SPEC_FORMS =
  'memory, sqlite:PATH, redis://[user:password@]HOST:PORT[/DB] or rediss://… (TLS)';

/**
 * The store named by REMEDIATE_STATE. Opening is synchronous: SQLite opens (and migrates) at once; Redis
 * connects in the background and its first call fails within about a second when Redis is not there.
 */
export function openStateStore(spec: string): StateStore {
  if (spec === 'memory') return new MemoryStore();
  if (spec.startsWith('sqlite:') && spec.length > 'sqlite:'.length)
    return new SqliteStore(spec.slice('sqlite:'.length));
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
