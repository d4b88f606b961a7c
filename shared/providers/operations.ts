import type { OperationName, RemediationRequest } from '../requests';
import type { ProviderOperation } from './types';

type RequestOf<N extends OperationName> = Extract<
  RemediationRequest,
  {
    provider: N extends `${infer P}/${string}` ? P : never;
    operation: N extends `${string}/${infer O}` ? O : never;
  }
>;

/**
 * The operations a deployment carries, by name. A function bundle carries only its own cloud's (so it
 * holds only that cloud's SDK); the CLI and the local runtime carry all of them.
 */
export type OperationRegistry = { readonly [N in OperationName]?: ProviderOperation<RequestOf<N>> };

export function operationFor(
  registry: OperationRegistry,
  request: RemediationRequest,
): ProviderOperation<RemediationRequest> | undefined {
  return registry[`${request.provider}/${request.operation}` as OperationName] as
    | ProviderOperation<RemediationRequest>
    | undefined;
}
