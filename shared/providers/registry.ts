import type { OperationName, RemediationRequest } from '../requests';
import { deletePolicy } from './alibaba/delete-policy';
import { detachControlPolicy } from './alibaba/detach-control-policy';
import { detachPolicy as alibabaDetachPolicy } from './alibaba/detach-policy';
import { detachAgencyPolicy } from './huawei/detach-agency-policy';
import { detachPolicy as tencentDetachPolicy } from './tencent/detach-policy';
import type { ProviderOperation } from './types';

type RequestOf<N extends OperationName> = Extract<
  RemediationRequest,
  {
    provider: N extends `${infer P}/${string}` ? P : never;
    operation: N extends `${string}/${infer O}` ? O : never;
  }
>;

/** Every operation by name: the one place that maps a request to its SDK call. */
export const PROVIDER_OPERATIONS: { readonly [N in OperationName]: ProviderOperation<RequestOf<N>> } = {
  'alibaba/detach-policy': alibabaDetachPolicy,
  'alibaba/detach-control-policy': detachControlPolicy,
  'alibaba/delete-policy': deletePolicy,
  'tencent/detach-policy': tencentDetachPolicy,
  'huawei/detach-agency-policy': detachAgencyPolicy,
};

export function providerOperation(request: RemediationRequest): ProviderOperation<RemediationRequest> {
  const name = `${request.provider}/${request.operation}` as OperationName;
  return PROVIDER_OPERATIONS[name] as ProviderOperation<RemediationRequest>;
}
