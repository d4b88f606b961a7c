import { classify } from '../classify';
import type { CallResult, ErrorClass, ProviderError } from '../types';

/**
 * Huawei IAM v5 answers → classes, by error code first and HTTP status second (`HTTPnnn` keys).
 * Sources: the DetachAgencyPolicyV5 API page (403/404/409; docs/sources.md, Vendor API pages), the IAM v5
 * error page (PAP5.*), the API gateway's codes (APIGW.*). Row by row: docs/sources.md, Error codes.
 */
export const HUAWEI_ERROR_TABLE: Readonly<Record<string, ErrorClass>> = {
  'APIGW.0308': 'transient',
  'APIG.0308': 'transient',
  'APIG.0203': 'transient',
  'PAP5.0003': 'permanent',
  'PAP5.0001': 'permission',
  // IAM v5 refuses an agency (assumed-role) token that has no x-user-profile: not a missing permission,
  // and no retry changes it; the credentials must be of another kind (HINTS says which).
  'PAP5.0046': 'permanent',
  'APIGW.0301': 'permission',
  'APIG.0301': 'permission',
  'APIGW.0101': 'permanent',
  HTTP400: 'invalid-input',
  HTTP401: 'permission',
  HTTP403: 'permission',
  HTTP404: 'already-gone',
  HTTP409: 'conflict',
  HTTP429: 'transient',
};

/** What a person should do about codes whose remedy the class alone does not say. */
const HINTS: Readonly<Record<string, string>> = {
  'PAP5.0046':
    'IAM v5 refuses an agency token without x-user-profile: give the function temporary AK/SK and security token (assume the agency through STS) instead of an agency token',
};

/** ClientRequestException (4xx) / ServerResponseException (5xx); no status at all for network failures. */
interface HuaweiSdkError {
  httpStatusCode?: unknown;
  errorCode?: unknown;
  errorMsg?: unknown;
  requestId?: unknown;
}

export function huaweiError(error: unknown): ProviderError {
  const e = (error ?? {}) as HuaweiSdkError;
  const status = Number(e.httpStatusCode);
  const httpStatus = Number.isInteger(status) && status > 0 ? status : undefined;
  const network = httpStatus === undefined;
  const code = typeof e.errorCode === 'string' && e.errorCode !== '' ? e.errorCode : undefined;
  return classify('huawei', HUAWEI_ERROR_TABLE, {
    code: network ? 'NetworkError' : code,
    httpStatus,
    message: network ? 'no answer from the endpoint' : String(e.errorMsg ?? 'unknown error'),
    requestId: typeof e.requestId === 'string' && e.requestId !== '' ? e.requestId : undefined,
    network,
    hint: code === undefined ? undefined : HINTS[code],
  });
}

export async function callHuawei(call: () => Promise<unknown>): Promise<CallResult> {
  try {
    await call();
    return { ok: true };
  } catch (error) {
    return { ok: false, error: huaweiError(error) };
  }
}
