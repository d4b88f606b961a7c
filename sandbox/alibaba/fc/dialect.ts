import { callerOf } from '../../keys';
import { RestRoutes } from '../../rest-routes';
import type { Caller, Dialect, HttpReply, KeyLookup, RawRequest } from '../../types';
import { constantTimeEqual, headerValue } from '../../wire';
import type { AlibabaState } from '../state';
import { fcCommonErrors, fcErrors, renderFcError } from './errors';
import { FC_APIS } from './index';
import type { InvocationReply } from './invoke-function';
import {
  FC_API_VERSION,
  fcContentMd5,
  fcSignature,
  fcStringToSign,
  parseFcAuthorization,
  rfcContentMd5,
} from './signature';

/** FC checks the signed Date like the other Alibaba gateways: 15 minutes either side of its clock. */
const DATE_WINDOW_MS = 15 * 60 * 1000;

const routes = new RestRoutes(FC_APIS);

/** What an audit trail records of an invocation: the service, its qualifier and the function. */
function paramsOf(request: RawRequest) {
  const path = routes.match(request)?.path;
  if (!path) return undefined;
  const [service = '', qualifier] = (path.service ?? '').split(/\.(.*)/s, 2);
  return { service, qualifier: qualifier || undefined, function: path.function };
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

/**
 * Alibaba Function Compute as @alicloud/fc2 speaks it: REST paths under /2016-08-15/, `FC` signatures,
 * errors as `{ErrorCode, ErrorMessage}`. The sandbox serves InvokeFunction against the functions the
 * test or the local runtime registered (`sandbox.registerFunction`).
 */
export const fcDialect: Dialect<AlibabaState> = {
  cloud: 'alibaba',
  apis: FC_APIS,
  recognizes: (request) => request.rawPath.startsWith(`/${FC_API_VERSION}/`),
  actionOf: (request) => routes.match(request)?.api.action ?? `${request.method} ${request.rawPath}`,
  authenticate,
  input: (request) => ({
    path: routes.match(request)?.path,
    invocationType: headerValue(request.headers, 'x-fc-invocation-type'),
    payload: request.body,
  }),
  paramsOf,
  errors: fcCommonErrors,
  permissionDenied: (api) =>
    fcErrors.accessDenied(`the caller is not authorized to perform '${api.permission}'`),
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
