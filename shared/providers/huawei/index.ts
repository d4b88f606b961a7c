import type { OperationRegistry } from '../operations';
import type { CallerIdentity } from '../types';
import { huaweiCallerAccount } from './caller-identity';
import { detachAgencyPolicy } from './detach-agency-policy';
import { huaweiError } from './errors';

export const HUAWEI_OPERATIONS = {
  'huawei/detach-agency-policy': detachAgencyPolicy,
} as const satisfies OperationRegistry;

/** Which account the credentials act in (the breaker's and limiter's key, DESIGN §3). */
export const HUAWEI_CALLER_IDENTITY: CallerIdentity = { ask: huaweiCallerAccount, error: huaweiError };

/** Lists the attachments `remediate scan` evaluates; SCAN_PERMISSIONS is what a read-only scan role needs. */
export { listAttachments as huaweiLister, SCAN_PERMISSIONS } from './list-attachments';
