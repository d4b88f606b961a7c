import type { OperationRegistry } from '../operations';
import { deletePolicy } from './delete-policy';
import { detachControlPolicy } from './detach-control-policy';
import { detachPolicy } from './detach-policy';

export const ALIBABA_OPERATIONS = {
  'alibaba/detach-policy': detachPolicy,
  'alibaba/detach-control-policy': detachControlPolicy,
  'alibaba/delete-policy': deletePolicy,
} as const satisfies OperationRegistry;

/** Lists the attachments `remediate scan` evaluates; SCAN_PERMISSIONS is what a read-only scan role needs. */
export { listAttachments as alibabaLister, SCAN_PERMISSIONS } from './list-attachments';
