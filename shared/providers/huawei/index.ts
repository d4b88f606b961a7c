import type { OperationRegistry } from '../operations';
import { detachAgencyPolicy } from './detach-agency-policy';

export const HUAWEI_OPERATIONS = {
  'huawei/detach-agency-policy': detachAgencyPolicy,
} as const satisfies OperationRegistry;

/** Lists the attachments `remediate scan` evaluates; SCAN_PERMISSIONS is what a read-only scan role needs. */
export { listAttachments as huaweiLister, SCAN_PERMISSIONS } from './list-attachments';
