import type { OperationRegistry } from '../operations';
import { detachAgencyPolicy } from './detach-agency-policy';

export const HUAWEI_OPERATIONS = {
  'huawei/detach-agency-policy': detachAgencyPolicy,
} as const satisfies OperationRegistry;
