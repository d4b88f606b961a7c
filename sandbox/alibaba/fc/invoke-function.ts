import { z } from 'zod';
import { sandboxLogger } from '../../logger';
import { alibabaApi } from '../api';
import { fcErrors } from './errors';
import type { FcInvocation } from './registry';
import { FC_API_VERSION } from './signature';

/** What the invocation produced, rendered by the dialect's `renderSuccess` as FC answers it. */
export interface InvocationReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** `{service}` may carry a version or alias: `service.qualifier`. */
const serviceName = z.string().transform((segment) => {
  const [service = '', qualifier] = segment.split(/\.(.*)/s, 2);
  return { service, qualifier: qualifier || undefined };
});

const invocationType = z
  .string()
  .optional()
  .transform((type = 'Sync') => {
    if (type !== 'Sync' && type !== 'Async')
      throw fcErrors.invalidArgument(`invocation type '${type}' is not Sync or Async`);
    return type;
  });

/**
 * InvokeFunction: the function registered under the service and name gets the raw body. Sync: its result
 * is the body (a string or Buffer as it is, anything else as JSON); a throw is answered 200 with
 * `x-fc-error-type: UnhandledInvocationError` and `{errorMessage, errorType, stackTrace}`, as FC reports a
 * function's own error. Async: answered 202 at once, the function runs after.
 */
export const invokeFunction = alibabaApi({
  action: 'InvokeFunction',
  path: `POST /${FC_API_VERSION}/services/{service}/functions/{function}/invocations`,
  permission: 'fc:InvokeFunction',
  mutating: false,
  params: z.object({
    path: z.object({ service: serviceName, function: z.string() }),
    invocationType,
    payload: z.instanceof(Buffer),
  }),
  async handle({ path, invocationType: type, payload }, context): Promise<InvocationReply> {
    const { service, qualifier } = path.service;
    const functions = context.functions;
    if (!functions?.hasService(service)) throw fcErrors.serviceNotFound(service);
    const body = functions.lookup(service, path.function);
    if (!body) throw fcErrors.functionNotFound(service, path.function);
    const invocation: FcInvocation = {
      requestId: context.requestId,
      account: context.caller.account,
      service,
      qualifier,
      function: path.function,
      invocationType: type,
    };
    if (type === 'Async') {
      setImmediate(() => {
        Promise.resolve()
          .then(() => body(payload, invocation))
          .catch((error: unknown) => sandboxLogger.warn({ err: error, invocation }, 'async function failed'));
      });
      return { status: 202, headers: {}, body: '' };
    }
    try {
      const result = await body(payload, invocation);
      if (Buffer.isBuffer(result) || typeof result === 'string')
        return {
          status: 200,
          headers: { 'content-type': 'application/octet-stream' },
          body: result.toString(),
        };
      return {
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: result === undefined ? '' : JSON.stringify(result),
      };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return {
        status: 200,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-fc-error-type': 'UnhandledInvocationError',
        },
        body: JSON.stringify({
          errorMessage: e.message,
          errorType: e.name,
          stackTrace: (e.stack ?? '')
            .split('\n')
            .slice(1)
            .map((line) => line.trim()),
        }),
      };
    }
  },
});
