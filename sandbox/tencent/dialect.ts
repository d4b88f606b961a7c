import type { Dialect, HttpReply, RawRequest } from '../types';
import { authenticate, header } from './auth';
import { tencentCommonErrors, tencentError } from './errors';
import { ORGANIZATION_APIS } from './organization';
import { paramsInput, rawParams } from './params';
import type { TencentState } from './state';
import { STS_APIS } from './sts';
import { authenticateV1, v1ParamsOf } from './v1-auth';

/** The action: the signed `Action` parameter of a v1 request, else TC3's `X-TC-Action` header. */
function actionOf(request: RawRequest): string | undefined {
  const v1 = v1ParamsOf(request);
  return v1 ? v1.Action : header(request, 'x-tc-action');
}

/**
 * Tencent Cloud API 3.0 (Organization 2021-03-31) as the unmodified `tencentcloud-sdk-nodejs`
 * speaks it: TC3-HMAC-SHA256 over POST JSON (or GET with a query string), the action in
 * `X-TC-Action`; or the v1 signatures (`signMethod` HmacSHA1 / HmacSHA256) with every parameter in
 * the query or a form body; every answer an HTTP 200 `{"Response": …}` envelope.
 */
export const tencentDialect: Dialect<TencentState> = {
  cloud: 'tencent',
  apis: [...ORGANIZATION_APIS, ...STS_APIS],
  recognizes: (request) => actionOf(request) !== undefined,
  actionOf: (request) => actionOf(request) ?? '',
  authenticate: (request, keys, now) =>
    v1ParamsOf(request) ? authenticateV1(request, keys, now) : authenticate(request, keys, now),
  input: paramsInput,
  paramsOf: (request: RawRequest) => rawParams(request),
  errors: tencentCommonErrors,
  // Organization documents UnauthorizedOperation for a CAM denial on these actions.
  permissionDenied: (api, caller) =>
    tencentError(
      'UnauthorizedOperation',
      `The key ${caller.accessKeyId} is not authorized to perform ${api.permission}.`,
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
