import { type CommonErrors, SandboxApiError } from '../errors';

/**
 * Huawei Cloud answers errors as `{error_code, error_msg, request_id}` with a real HTTP status; IAM v5
 * adds `encoded_authorization_message` to permission denials. Three families share that envelope:
 * - `APIGW.*` from the API gateway in front of every service (auth, throttling, unknown API, backend down);
 * - `PAP5.*` from IAM v5 itself (api-iam5 ErrorCode page: PAP5.0001 access denied, PAP5.0003 attached
 *   policies per agency limit exceeded, PAP5.0010 invalid marker);
 * - `IAM.*`, the classic IAM codes, to which the v5 error page refers for "IAM"-prefixed answers
 *   (IAM.0004 not found, IAM.0005 conflict, IAM.0006 internal, IAM.0007/0011/0072 bad request).
 */
export class HuaweiApiError extends SandboxApiError {
  constructor(
    code: string,
    message: string,
    httpStatus: number,
    readonly encodedAuthorizationMessage?: string,
  ) {
    super(code, message, httpStatus);
  }
}

const IAM_AUTH = 'Incorrect IAM authentication information';

/** APIGW.0301, 401: each sub-case in the gateway's own words (devg-apisign api-sign-0001). */
export const authErrors = {
  signatureMismatch: () => new HuaweiApiError('APIGW.0301', `${IAM_AUTH}: verify aksk signature fail`, 401),
  expired: (signedAt: string, serverTime: string) =>
    new HuaweiApiError(
      'APIGW.0301',
      `${IAM_AUTH}: verify aksk signature fail, signature expired, signature time:${signedAt},server time:${serverTime}`,
      401,
    ),
  unknownKey: (accessKeyId: string) =>
    new HuaweiApiError(
      'APIGW.0301',
      `${IAM_AUTH}: Get secretKey failed,ak:${accessKeyId},err:ak not exist`,
      401,
    ),
  noCredentials: () => new HuaweiApiError('APIGW.0301', `${IAM_AUTH}: x-auth-token not found`, 401),
  tokenMissing: () => new HuaweiApiError('APIGW.0301', `${IAM_AUTH}: x-security-token not found`, 401),
  tokenInvalid: () => new HuaweiApiError('APIGW.0301', `${IAM_AUTH}: decrypt token fail`, 401),
};

/** IAM v5 and classic IAM answers the operations throw. */
export const iamErrors = {
  invalidParameter: (key: string) =>
    new HuaweiApiError('IAM.0007', `Request parameter ${key} is invalid.`, 400),
  requiredProperty: (key: string) => new HuaweiApiError('IAM.0072', `'${key}' is a required property.`, 400),
  invalidBody: () => new HuaweiApiError('IAM.0011', 'Request body is invalid.', 400),
  invalidMarker: () => new HuaweiApiError('PAP5.0010', 'invalid marker', 400),
  notFound: (target: string, id: string) =>
    new HuaweiApiError('IAM.0004', `Could not find ${target}: ${id}.`, 404),
  conflict: (type: string, details: string) =>
    new HuaweiApiError('IAM.0005', `Conflict occurred attempting to store ${type} - ${details}.`, 409),
  agencyBusy: (agencyId: string) =>
    new HuaweiApiError(
      'IAM.0005',
      `Conflict occurred attempting to store agency - ${agencyId} is being modified, try again later.`,
      409,
    ),
  attachQuotaExceeded: () =>
    new HuaweiApiError('PAP5.0003', 'attached policies per agency limit exceeded', 409),
  // IAM v5 with an agency token that lacks X-User-Profile (public Terraform notes: "PAP5.0046 missing
  // x-user-profile"); the status is not documented, 403 is the sandbox's choice.
  missingUserProfile: () => new HuaweiApiError('PAP5.0046', 'missing x-user-profile', 403),
  accessDenied: (detail: string, encoded: string) =>
    new HuaweiApiError('PAP5.0001', `access denied: ${detail}`, 403, encoded),
};

// APIGW.0101 has two documented messages: no such path, or the path exists under another method.
export const API_NOT_PUBLISHED = 'The API does not exist or has not been published in the environment.';
export const API_METHOD_MISSING = 'The API does not exist.';

/** The injected / generic failures, each as the real gateway or IAM answers it. */
export function commonErrors(isKnownPath: (action: string) => boolean): CommonErrors {
  return {
    unknownAction: (action) =>
      new HuaweiApiError('APIGW.0101', isKnownPath(action) ? API_METHOD_MISSING : API_NOT_PUBLISHED, 404),
    // The server calls this for an oversized body too, which the gateway refuses before IAM sees it.
    malformed: (detail) =>
      /too large/.test(detail)
        ? new HuaweiApiError('APIGW.0201', 'Request entity too large.', 413)
        : iamErrors.invalidBody(),
    // The documented text goes on with ",limit:N,time:1 second"; the core does not pass the limit here.
    throttled: () =>
      new HuaweiApiError(
        'APIGW.0308',
        'The throttling threshold has been reached: policy user over ratelimit',
        429,
      ),
    // The gateway's transient backend failure (api-sign-errorcode: APIGW.0201 Backend unavailable, 502),
    // kept apart from internal() so a test can tell an injected outage from a sandbox bug.
    serverError: () => new HuaweiApiError('APIGW.0201', 'Backend unavailable.', 502),
    busy: () => iamErrors.conflict('agency', 'a concurrent modification is in progress, try again later'),
    internal: () =>
      new HuaweiApiError(
        'IAM.0006',
        'An unexpected error prevented the server from fulfilling your request.',
        500,
      ),
  };
}
