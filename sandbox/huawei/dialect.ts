import type { SandboxApiError } from '../errors';
import type { Caller, Dialect, HttpReply, Operation, RawRequest } from '../types';
import { authenticate } from './auth';
import { commonErrors, HuaweiApiError, iamErrors } from './errors';
import { attachAgencyPolicy, detachAgencyPolicy } from './operations/attachments';
import { getCallerIdentity } from './operations/caller-identity';
import { listAttachedAgencyPolicies, listEntitiesForPolicy, listPolicies } from './operations/listings';
import { actionOf, type HuaweiAction, isHuaweiPath, isKnownPathAction, pathParams } from './routes';

const operations: Record<HuaweiAction, Operation> = {
  DetachAgencyPolicyV5: detachAgencyPolicy,
  AttachAgencyPolicyV5: attachAgencyPolicy,
  ListAttachedAgencyPoliciesV5: listAttachedAgencyPolicies,
  ListEntitiesForPolicyV5: listEntitiesForPolicy,
  ListPoliciesV5: listPolicies,
  GetCallerIdentity: getCallerIdentity,
};

// Seed 002 names iam:agencies:detachPolicyV5; the others follow the same service:resource:verb scheme.
const IAM_ACTIONS: Record<string, string> = {
  DetachAgencyPolicyV5: 'iam:agencies:detachPolicyV5',
  AttachAgencyPolicyV5: 'iam:agencies:attachPolicyV5',
  ListAttachedAgencyPoliciesV5: 'iam:agencies:listAttachedPoliciesV5',
  ListEntitiesForPolicyV5: 'iam:policies:listEntitiesV5',
  ListPoliciesV5: 'iam:policies:listV5',
  GetCallerIdentity: 'sts::getCallerIdentity',
};

/** Huawei Cloud IAM v5 behind the API gateway: SDK-HMAC-SHA256, JSON errors with real HTTP statuses. */
export const huaweiDialect: Dialect = {
  cloud: 'huawei',
  recognizes: (request) => isHuaweiPath(request.rawPath),
  actionOf,
  authenticate,
  paramsOf,
  operations,
  errors: commonErrors(isKnownPathAction),
  permissionDenied,
  renderSuccess,
  renderError,
};

/** Path, query and body fields: never a header, so never a credential. */
function paramsOf(request: RawRequest): unknown {
  const params: Record<string, unknown> = { ...pathParams(request) };
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
function permissionDenied(action: string, caller: Caller): SandboxApiError {
  const iamAction = IAM_ACTIONS[action] ?? action;
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
