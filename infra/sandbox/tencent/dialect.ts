import type { Dialect, HttpReply, RawRequest } from '../types';
import { authenticate, header } from './auth';
import { tencentCommonErrors, tencentError } from './errors';
import { attachPolicy, detachPolicy } from './operations/bindings';
import { getCallerIdentity } from './operations/caller-identity';
import { listPolicies, listPoliciesForTarget, listTargetsForPolicy } from './operations/listing';
import { rawParams } from './params';

/**
 * Tencent Cloud API 3.0 (Organization 2021-03-31) as the unmodified `tencentcloud-sdk-nodejs`
 * speaks it: TC3-HMAC-SHA256 over POST JSON (or GET with a query string), the action in
 * `X-TC-Action`, and every answer an HTTP 200 `{"Response": …}` envelope.
 */
export const tencentDialect: Dialect = {
  cloud: 'tencent',
  recognizes: (request) => typeof request.headers['x-tc-action'] === 'string',
  actionOf: (request) => header(request, 'x-tc-action') ?? '',
  authenticate,
  paramsOf: (request: RawRequest) => rawParams(request),
  operations: {
    AttachPolicy: attachPolicy,
    DetachPolicy: detachPolicy,
    GetCallerIdentity: getCallerIdentity,
    ListPolicies: listPolicies,
    ListPoliciesForTarget: listPoliciesForTarget,
    ListTargetsForPolicy: listTargetsForPolicy,
  },
  errors: tencentCommonErrors,
  // Organization documents UnauthorizedOperation for a CAM denial on these actions.
  permissionDenied: (action, caller) =>
    tencentError(
      'UnauthorizedOperation',
      `The key ${caller.accessKeyId} is not authorized to perform organization:${action}.`,
    ),
  renderSuccess: (body, requestId) => envelope({ ...(body as object), RequestId: requestId }),
  renderError: (error, requestId) =>
    envelope({ Error: { Code: error.code, Message: error.message }, RequestId: requestId }),
};

function envelope(response: object): HttpReply {
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Response: response }),
  };
}
