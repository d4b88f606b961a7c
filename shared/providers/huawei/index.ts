import type { Cloud } from '../cloud';
import type { OperationRegistry } from '../operations';
import { huaweiCallerAccount } from './caller-identity';
import { detachAgencyPolicy } from './detach-agency-policy';
import { huaweiError } from './errors';

export const HUAWEI_OPERATIONS = {
  'huawei/detach-agency-policy': detachAgencyPolicy,
} as const satisfies OperationRegistry;

/** Huawei's operations, and the account its credentials act in (the breaker's and limiter's key). */
export const HUAWEI: Cloud = {
  provider: 'huawei',
  operations: HUAWEI_OPERATIONS,
  callerIdentity: { ask: huaweiCallerAccount, error: huaweiError },
};

/** Lists the attachments `remediate scan` evaluates; SCAN_PERMISSIONS is what a read-only scan role needs. */
export { listAttachments as huaweiLister, SCAN_PERMISSIONS } from './list-attachments';
