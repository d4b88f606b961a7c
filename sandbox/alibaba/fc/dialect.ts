import { callerOf } from '../../keys';
import { sandboxLogger } from '../../logger';
import type { Caller, Dialect, HttpReply, KeyLookup, Operation, RawRequest } from '../../types';
import { constantTimeEqual, headerValue } from '../../wire';
import { fcCommonErrors, fcErrors, renderFcError } from './errors';
import type { FcInvocation } from './registry';
import {
  FC_API_VERSION,
  fcContentMd5,
  fcSignature,
  fcStringToSign,
  parseFcAuthorization,
  rfcContentMd5,
} from './signature';

/** POST /2016-08-15/services/{service[.qualifier]}/functions/{function}/invocations: what fc2's invokeFunction sends. */
const INVOKE_PATH = new RegExp(`^/${FC_API_VERSION}/services/([^/]+)/functions/([^/]+)/invocations$`);
/** FC checks the signed Date like the other Alibaba gateways: 15 minutes either side of its clock. */
const DATE_WINDOW_MS = 15 * 60 * 1000;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function target(request: RawRequest) {
  const match = INVOKE_PATH.exec(request.rawPath);
  if (!match) return undefined;
  const [service = '', qualifier] = decode(match[1] as string).split(/\.(.*)/s, 2);
  return { service, qualifier: qualifier || undefined, function: decode(match[2] as string) };
}

/**
 * Verifies an `FC <AccessKeyId>:<signature>` request the way fc2 signs it: Date and Authorization
 * present, Date within the window, a known key, the signature over method, content-md5, content-type,
 * date, the x-fc-* headers and the path, the body matching its Content-MD5; then the security token and
 * the account the request names (x-fc-account-id, the first label of the real endpoint's host).
 */
export function authenticate(request: RawRequest, keys: KeyLookup, now: Date): Caller {
  const date = headerValue(request.headers, 'date');
  if (!date) throw fcErrors.missingHeader('Date');
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization) throw fcErrors.missingHeader('Authorization');
  const parsed = parseFcAuthorization(authorization);
  if (!parsed) throw fcErrors.accessDenied(`the Authorization header is not 'FC <AccessKeyId>:<signature>'`);
  const signedAt = Date.parse(date);
  if (Number.isNaN(signedAt)) throw fcErrors.invalidArgument(`the Date header '${date}' is not an HTTP date`);
  if (Math.abs(now.getTime() - signedAt) > DATE_WINDOW_MS)
    throw fcErrors.accessDenied(
      `the request date '${date}' is more than 15 minutes away from the server time`,
    );

  const key = keys('alibaba', parsed.accessKeyId);
  if (!key) throw fcErrors.invalidAccessKeyId(parsed.accessKeyId);
  const expected = fcSignature(key.secret, fcStringToSign(request.method, request.rawPath, request.headers));
  if (!constantTimeEqual(expected, parsed.signature)) throw fcErrors.signatureNotMatch();
  // The body itself is not signed, only its Content-MD5 (which fc2 sends with every buffered body).
  const md5 = headerValue(request.headers, 'content-md5');
  if (md5 !== undefined && md5 !== fcContentMd5(request.body) && md5 !== rfcContentMd5(request.body))
    throw fcErrors.invalidArgument('the Content-MD5 header does not match the request body');

  const token = headerValue(request.headers, 'x-fc-security-token');
  if (key.token !== undefined && token === undefined)
    throw fcErrors.accessDenied(
      'a security token (x-fc-security-token) is required for temporary credentials',
    );
  if (token !== undefined && token !== key.token)
    throw fcErrors.accessDenied('the security token does not belong to the access key');

  const account = headerValue(request.headers, 'x-fc-account-id');
  if (!account) throw fcErrors.missingHeader('x-fc-account-id');
  if (account !== key.account)
    throw fcErrors.accessDenied(`the access key does not belong to account ${account}`);
  return callerOf(key);
}

/** What the invocation produced, rendered by `renderSuccess` as FC answers it. */
interface InvocationReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * InvokeFunction: the function registered under the service and name gets the raw body. Sync: its result
 * is the body (a string or Buffer as it is, anything else as JSON); a throw is answered 200 with
 * `x-fc-error-type: UnhandledInvocationError` and `{errorMessage, errorType, stackTrace}`, as FC reports a
 * function's own error. Async: answered 202 at once, the function runs after.
 */
const invokeFunction: Operation = {
  mutating: false,
  async handle(request, context): Promise<InvocationReply> {
    const named = target(request);
    if (!named) throw fcErrors.pathNotSupported(request.method, request.rawPath);
    const functions = context.functions;
    if (!functions?.hasService(named.service)) throw fcErrors.serviceNotFound(named.service);
    const body = functions.lookup(named.service, named.function);
    if (!body) throw fcErrors.functionNotFound(named.service, named.function);
    const type = headerValue(request.headers, 'x-fc-invocation-type') ?? 'Sync';
    if (type !== 'Sync' && type !== 'Async')
      throw fcErrors.invalidArgument(`invocation type '${type}' is not Sync or Async`);
    const invocation: FcInvocation = {
      requestId: context.requestId,
      account: context.caller.account,
      service: named.service,
      qualifier: named.qualifier,
      function: named.function,
      invocationType: type,
    };
    if (type === 'Async') {
      setImmediate(() => {
        Promise.resolve()
          .then(() => body(request.body, invocation))
          .catch((error: unknown) => sandboxLogger.warn({ err: error, invocation }, 'async function failed'));
      });
      return { status: 202, headers: {}, body: '' };
    }
    try {
      const result = await body(request.body, invocation);
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
};

/**
 * Alibaba Function Compute as @alicloud/fc2 speaks it: REST paths under /2016-08-15/, `FC` signatures,
 * errors as `{ErrorCode, ErrorMessage}`. The sandbox serves InvokeFunction against the functions the
 * test or the local runtime registered (`sandbox.registerFunction`).
 */
export const fcDialect: Dialect = {
  cloud: 'alibaba',
  recognizes: (request) => request.rawPath.startsWith(`/${FC_API_VERSION}/`),
  actionOf: (request) =>
    request.method === 'POST' && INVOKE_PATH.test(request.rawPath)
      ? 'InvokeFunction'
      : `${request.method} ${request.rawPath}`,
  authenticate,
  paramsOf: (request) => target(request),
  operations: { InvokeFunction: invokeFunction },
  errors: fcCommonErrors,
  permissionDenied: (action) =>
    fcErrors.accessDenied(`the caller is not authorized to perform 'fc:${action}'`),
  renderSuccess(body: unknown, requestId: string): HttpReply {
    const reply = body as InvocationReply;
    return {
      status: reply.status,
      headers: { ...reply.headers, 'x-fc-request-id': requestId },
      body: reply.body,
    };
  },
  renderError: renderFcError,
};
