import type { Cloud } from '../cloud';
import type { OperationRegistry } from '../operations';
import { tencentCallerAccount } from './caller-identity';
import { detachPolicy } from './detach-policy';
import { tencentError } from './errors';

export const TENCENT_OPERATIONS = {
  'tencent/detach-policy': detachPolicy,
} as const satisfies OperationRegistry;

/** Tencent's operations, and the account its credentials act in (the breaker's and limiter's key). */
export const TENCENT: Cloud = {
  provider: 'tencent',
  operations: TENCENT_OPERATIONS,
  callerIdentity: { ask: tencentCallerAccount, error: tencentError },
};

/** Lists the attachments `remediate scan` evaluates; SCAN_PERMISSIONS is what a read-only scan role needs. */
export { listAttachments as tencentLister, SCAN_PERMISSIONS } from './list-attachments';
