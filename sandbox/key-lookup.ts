import { CLOUDS } from './clouds';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET } from './keys';
import type { KeyLookup, SandboxKey } from './types';
import type { World } from './world';

/** The default `sandbox` key of every cloud plus the seed's own keys (which may override it). */
export function keyLookupFor(world: World): KeyLookup {
  const keys = new Map<string, SandboxKey>();
  for (const cloud of CLOUDS) {
    keys.set(`${cloud}:${DEFAULT_ACCESS_KEY_ID}`, {
      cloud,
      accessKeyId: DEFAULT_ACCESS_KEY_ID,
      secret: DEFAULT_SECRET,
      account: world[cloud].defaultAccount,
      deny: [],
    });
  }
  for (const key of world.keys) {
    keys.set(`${key.cloud}:${key.accessKeyId}`, {
      ...key,
      account: key.account ?? world[key.cloud].defaultAccount,
    });
  }
  return (cloud: string, accessKeyId: string) => keys.get(`${cloud}:${accessKeyId}`);
}
