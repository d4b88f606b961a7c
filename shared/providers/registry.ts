import type { Provider, RemediationRequest } from '../requests';
import { ALIBABA_CALLER_IDENTITY, ALIBABA_OPERATIONS } from './alibaba';
import { HUAWEI_CALLER_IDENTITY, HUAWEI_OPERATIONS } from './huawei';
import { type OperationRegistry, operationFor } from './operations';
import { TENCENT_CALLER_IDENTITY, TENCENT_OPERATIONS } from './tencent';
import type { CallerIdentity, ProviderOperation } from './types';

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

/** Each cloud's caller identity; absent in a bundle built for another cloud (see PROVIDER_OPERATIONS). */
export const CALLER_IDENTITIES: Readonly<Partial<Record<Provider, CallerIdentity>>> = {
  alibaba: ALIBABA_CALLER_IDENTITY,
  tencent: TENCENT_CALLER_IDENTITY,
  huawei: HUAWEI_CALLER_IDENTITY,
};
