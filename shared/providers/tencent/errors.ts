import { classify } from '../classify';
import type { CallResult, ErrorClass, ProviderError } from '../types';

/**
 * Tencent Organization codes → classes. Keys ending in '.' match as prefixes. Sources: the Organization
 * DetachPolicy API page (docs/sources.md, Vendor API pages), the Organization error-code list of Tencent's
 * SDKs, and the API 3.0 common codes. Row by row: docs/sources.md, Error codes.
 */
export const TENCENT_ERROR_TABLE: Readonly<Record<string, ErrorClass>> = {
  'ResourceNotFound.PolicyNotExist': 'already-gone',
  // Also in the Organization code list of the vendor SDKs (organization/v20210331): a policy, a department
  // (organizational unit) or a member that does not exist.
  'ResourceNotFound.PolicyIdNotFound': 'already-gone',
  'ResourceNotFound.NodeNotExist': 'already-gone',
  'ResourceNotFound.MemberNotExist': 'already-gone',
  'InvalidParameter.PolicyIdNotExist': 'already-gone',
  'ResourceNotFound.OrganizationNodeNotExist': 'already-gone',
  'ResourceNotFound.OrganizationMemberNotExist': 'already-gone',
  // The Organization error list also reports a deleted target under InvalidParameter.*.
  'InvalidParameter.OrganizationNodeNotExist': 'already-gone',
  'InvalidParameter.OrganizationMemberNotExist': 'already-gone',
  RequestLimitExceeded: 'transient',
  'RequestLimitExceeded.': 'transient',
  InternalError: 'transient',
  'InternalError.': 'transient',
  ServiceUnavailable: 'transient',
  ResourceUnavailable: 'conflict',
  ResourceInUse: 'conflict',
  'FailedOperation.OrganizationDetachLastPolicyError': 'last-policy',
  'FailedOperation.OrganizationPolicyIsNotEnabled': 'policy-type-disabled',
  // "Unbind policy failed": says nothing of why, so the engine reads the truth.
  'FailedOperation.OrganizationDetachPolicyError': 'ambiguous',
  'AuthFailure.': 'permission',
  UnauthorizedOperation: 'permission',
  'FailedOperation.PermissionDenied': 'permission',
  OperationDenied: 'permission',
  'OperationDenied.': 'permission',
  'InvalidParameter.OrganizationMemberNotManager': 'permission',
  InvalidParameter: 'invalid-input',
  'InvalidParameter.': 'invalid-input',
  InvalidParameterValue: 'invalid-input',
  'InvalidParameterValue.': 'invalid-input',
  MissingParameter: 'invalid-input',
  UnknownParameter: 'invalid-input',
  'ResourceNotFound.OrganizationNotExist': 'permanent',
  'InvalidParameter.OrganizationNotExist': 'permanent',
  InvalidAction: 'permanent',
  NoSuchVersion: 'permanent',
  UnsupportedProtocol: 'permanent',
};

/** TencentCloudSDKHttpException: `code` for API errors, `httpCode` for non-200 answers, neither for network failures. */
interface TencentSdkError {
  code?: unknown;
  httpCode?: unknown;
  requestId?: unknown;
  message?: unknown;
}

export function tencentError(error: unknown): ProviderError {
  const e = (error ?? {}) as TencentSdkError;
  const code = typeof e.code === 'string' && e.code !== '' ? e.code : undefined;
  const httpStatus = typeof e.httpCode === 'number' ? e.httpCode : undefined;
  const network = code === undefined && httpStatus === undefined;
  return classify('tencent', TENCENT_ERROR_TABLE, {
    code: network ? 'NetworkError' : code,
    httpStatus: httpStatus ?? (code ? 200 : undefined),
    message: network ? 'no answer from the endpoint' : String(e.message ?? 'unknown error'),
    requestId: typeof e.requestId === 'string' && e.requestId !== '' ? e.requestId : undefined,
    network,
  });
}

export async function callTencent(call: () => Promise<{ RequestId?: string }>): Promise<CallResult> {
  try {
    const response = await call();
    return { ok: true, requestId: response.RequestId };
  } catch (error) {
    return { ok: false, error: tencentError(error) };
  }
}
