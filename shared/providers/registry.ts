import type { RemediationRequest } from '../requests';
import { ALIBABA_OPERATIONS } from './alibaba';
import { HUAWEI_OPERATIONS } from './huawei';
import { type OperationRegistry, operationFor } from './operations';
import { TENCENT_OPERATIONS } from './tencent';
import type { ProviderOperation } from './types';

/**
 * Every operation of every cloud. A function bundle is built with the other clouds' index modules
 * replaced by empty registries (scripts/build.ts), so it holds only its own cloud's SDK.
 */
export const PROVIDER_OPERATIONS = {
  ...ALIBABA_OPERATIONS,
  ...TENCENT_OPERATIONS,
  ...HUAWEI_OPERATIONS,
} as const satisfies OperationRegistry;

export function providerOperation(
  request: RemediationRequest,
): ProviderOperation<RemediationRequest> | undefined {
  return operationFor(PROVIDER_OPERATIONS, request);
}
