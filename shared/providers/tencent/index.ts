import type { OperationRegistry } from '../operations';
import type { CallerIdentity } from '../types';
import { tencentCallerAccount } from './caller-identity';
import { detachPolicy } from './detach-policy';
import { tencentError } from './errors';

export const TENCENT_OPERATIONS = {
  'tencent/detach-policy': detachPolicy,
} as const satisfies OperationRegistry;

/** Which account the credentials act in (the breaker's and limiter's key, DESIGN §3). */
export const TENCENT_CALLER_IDENTITY: CallerIdentity = { ask: tencentCallerAccount, error: tencentError };

/** Lists the attachments `remediate scan` evaluates; SCAN_PERMISSIONS is what a read-only scan role needs. */
export { listAttachments as tencentLister, SCAN_PERMISSIONS } from './list-attachments';
