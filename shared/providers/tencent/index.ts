import type { OperationRegistry } from '../operations';
import { detachPolicy } from './detach-policy';

export const TENCENT_OPERATIONS = {
  'tencent/detach-policy': detachPolicy,
} as const satisfies OperationRegistry;
