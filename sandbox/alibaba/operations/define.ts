import type { Operation, OperationContext } from '../../types';
import { type RpcParams, rpcParamsOf } from '../params';

/** An RPC operation: parameters decoded once, the handler returns the body without RequestId. */
export function rpc(
  mutating: boolean,
  handle: (params: RpcParams, context: OperationContext) => object,
): Operation {
  return { mutating, handle: (request, context) => handle(rpcParamsOf(request), context) };
}

/** Dates as the API writes them: ISO 8601 in UTC, to the second. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
