import type { SandboxApiError } from '../errors';
import { RestRoutes } from '../rest-routes';
import type { Api, Caller, Dialect, HttpReply, RawRequest } from '../types';
import { authenticate } from './auth';
import { commonErrors, HuaweiApiError, iamErrors } from './errors';
import { IAM_APIS } from './iam';
import type { HuaweiState } from './state';

const APIS = [...IAM_APIS];
const routes = new RestRoutes(APIS);

/**
 * The operation name, or `METHOD /path` for a request no route serves: that string then reaches
 * `unknownAction`, which tells a wrong method on a real path from a path that does not exist.
 */
function actionOf(request: RawRequest): string {
  return routes.match(request)?.api.action ?? `${request.method} ${request.rawPath}`;
}

/** The query as the API's schema reads it: the first value of each name, as `URLSearchParams.get`. */
function queryOf(request: RawRequest): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(request.rawQuery))
    if (!Object.hasOwn(query, key)) query[key] = value;
  return query;
}

/** Huawei Cloud IAM v5 behind the API gateway: SDK-HMAC-SHA256, JSON errors with real HTTP statuses. */
export const huaweiDialect: Dialect<HuaweiState> = {
  cloud: 'huawei',
  apis: APIS,
  recognizes: (request) => request.rawPath.startsWith('/v5/'),
  actionOf,
  authenticate,
  input: (request) => ({
    path: routes.match(request)?.path ?? {},
    query: queryOf(request),
    body: request.body,
  }),
  paramsOf,
  errors: commonErrors((action) => routes.knowsPath(action.slice(action.indexOf(' ') + 1))),
  permissionDenied,
  renderSuccess,
  renderError,
};

/** Path, query and body fields: never a header, so never a credential. */
function paramsOf(request: RawRequest): unknown {
  const params: Record<string, unknown> = { ...routes.match(request)?.path };
  for (const [key, value] of new URLSearchParams(request.rawQuery)) params[key] = value;
  if (request.body.length > 0) {
    const body: unknown = JSON.parse(request.body.toString('utf8'));
    if (typeof body === 'object' && body !== null && 'agency_id' in body) params.agency_id = body.agency_id;
  }
  return params;
}

/**
 * PAP5.0001 with the encoded_authorization_message real IAM v5 encrypts for the STS5 decryption API;
 * the sandbox only base64-encodes it, which is enough for a caller to log and pass it on.
 */
function permissionDenied(api: Api<HuaweiState>, caller: Caller): SandboxApiError {
  const iamAction = api.permission;
  const detail = `user ${caller.accessKeyId} of account ${caller.account} is not authorized to perform ${iamAction}`;
  const encoded = Buffer.from(
    JSON.stringify({ decision: 'deny', action: iamAction, principal: caller.accessKeyId }),
  ).toString('base64');
  return iamErrors.accessDenied(detail, encoded);
}

// The SDK reads the request id from the X-Request-Id header, not from the body.
function headers(requestId: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-request-id': requestId };
}

/** Attach and detach answer 200 with an empty body; the SDK turns that into `{httpStatusCode: 200}`. */
function renderSuccess(body: unknown, requestId: string): HttpReply {
  return { status: 200, headers: headers(requestId), body: body === undefined ? '' : JSON.stringify(body) };
}

function renderError(error: SandboxApiError, requestId: string): HttpReply {
  const encoded = error instanceof HuaweiApiError ? error.encodedAuthorizationMessage : undefined;
  return {
    status: error.httpStatus,
    headers: { ...headers(requestId), ...error.headers },
    body: JSON.stringify({
      error_code: error.code,
      error_msg: error.message,
      request_id: requestId,
      ...(encoded === undefined ? {} : { encoded_authorization_message: encoded }),
    }),
  };
}
