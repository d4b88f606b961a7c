import type { Caller, SandboxKey } from './types';

export const DEFAULT_ACCESS_KEY_ID = 'sandbox';
export const DEFAULT_SECRET = 'sandbox-secret';

/** Who a verified request comes from: its key, the key's account and what the key is refused. */
export function callerOf(key: SandboxKey): Caller {
  return {
    cloud: key.cloud,
    accessKeyId: key.accessKeyId,
    account: key.account,
    deny: key.deny,
    temporary: key.token !== undefined,
  };
}
