import type { OperationRegistry } from '../operations';
import { detachPolicy } from './detach-policy';

export const TENCENT_OPERATIONS = {
  'tencent/detach-policy': detachPolicy,
} as const satisfies OperationRegistry;

/** Lists the attachments `remediate scan` evaluates; SCAN_PERMISSIONS is what a read-only scan role needs. */
export { listAttachments as tencentLister, SCAN_PERMISSIONS } from './list-attachments';
