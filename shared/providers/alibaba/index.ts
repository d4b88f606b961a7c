import type { Cloud } from '../cloud';
import type { OperationRegistry } from '../operations';
import { alibabaCallerAccount } from './caller-identity';
import { deletePolicy } from './delete-policy';
import { detachControlPolicy } from './detach-control-policy';
import { detachPolicy } from './detach-policy';
import { alibabaError } from './errors';

export const ALIBABA_OPERATIONS = {
  'alibaba/detach-policy': detachPolicy,
  'alibaba/detach-control-policy': detachControlPolicy,
  'alibaba/delete-policy': deletePolicy,
} as const satisfies OperationRegistry;

/** Alibaba's operations, and the account its credentials act in (the breaker's and limiter's key). */
export const ALIBABA: Cloud = {
  provider: 'alibaba',
  operations: ALIBABA_OPERATIONS,
  callerIdentity: { ask: alibabaCallerAccount, error: alibabaError },
};

/** Lists the attachments `remediate scan` evaluates; SCAN_PERMISSIONS is what a read-only scan role needs. */
export { listAttachments as alibabaLister, SCAN_PERMISSIONS } from './list-attachments';
