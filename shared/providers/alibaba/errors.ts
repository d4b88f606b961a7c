import { classify, isNetworkCode } from '../classify';
import type { CallResult, ErrorClass, ProviderError } from '../types';

/**
 * Alibaba Resource Manager codes → classes. Keys ending in '.' match as prefixes.
 * Sources: the DetachPolicy, DetachControlPolicy and DeletePolicy API pages (docs/sources.md, Vendor API
 * pages); RAM's per-principal attachment codes; the POP gateway's common codes. Row by row: docs/sources.md,
 * Error codes.
 */
export const ALIBABA_ERROR_TABLE: Readonly<Record<string, ErrorClass>> = {
  'EntityNotExist.Policy': 'already-gone',
  'EntityNotExists.ResourceGroup': 'already-gone',
  'EntityNotExists.Target': 'already-gone',
  'EntityNotExist.User.Policy': 'already-gone',
  'EntityNotExist.Group.Policy': 'already-gone',
  'EntityNotExist.Role.Policy': 'already-gone',
  // RAM's codes for a principal that does not exist: nothing of it can be attached anywhere.
  'EntityNotExist.User': 'already-gone',
  'EntityNotExist.Group': 'already-gone',
  'EntityNotExist.Role': 'already-gone',
  'EntityNotExists.ControlPolicy': 'already-gone',
  'EntityNotExists.ControlPolicyAttachment': 'already-gone',
  'EntityNotExist.Policy.Version': 'already-gone',
  Throttling: 'transient',
  'Throttling.': 'transient',
  'Rejected.Throttling': 'transient',
  ServiceUnavailable: 'transient',
  InternalError: 'transient',
  // The SDK draws a fresh nonce per call, so a retry cannot collide again.
  SignatureNonceUsed: 'transient',
  'Invalid.ResourceGroup.Status': 'resource-group-status',
  // Resource Directory refuses a write while another change runs; the vendor's own Terraform provider
  // retries it on every RD write (3–5 s waits, up to 5 minutes), so it is a busy resource, not a failure.
  ConcurrentCallNotSupported: 'conflict',
  'NotSupport.DetachLastControlPolicy': 'last-policy',
  'DeleteConflict.Policy.': 'delete-conflict',
  NoPermission: 'permission',
  'Forbidden.': 'permission',
  'InvalidAccessKeyId.': 'permission',
  SignatureDoesNotMatch: 'permission',
  IncompleteSignature: 'permission',
  InvalidSignatureMethod: 'permission',
  MissingSecurityToken: 'permission',
  'InvalidSecurityToken.': 'permission',
  'InvalidTimeStamp.': 'permission',
  InvalidParameter: 'invalid-input',
  'InvalidParameter.': 'invalid-input',
  MissingParameter: 'invalid-input',
  InvalidControlPolicyEnablementStatus: 'policy-type-disabled',
  'EntityNotExists.ResourceDirectory': 'permanent',
  InvalidVersion: 'permanent',
  'InvalidAction.NotFound': 'permanent',
  // Any other refusal: the gateway answers 403 only for permissions.
  HTTP403: 'permission',
};

interface AlibabaSdkError {
  code?: unknown;
  statusCode?: unknown;
  requestId?: unknown;
  message?: unknown;
  data?: { Message?: unknown; RequestId?: unknown };
}

export function alibabaError(error: unknown): ProviderError {
  const e = (error ?? {}) as AlibabaSdkError;
  const httpStatus = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const network = httpStatus === undefined && (isNetworkCode(e.code) || isTimeout(error));
  return classify('alibaba', ALIBABA_ERROR_TABLE, {
    code: network ? String(e.code ?? 'Timeout') : typeof e.code === 'string' ? e.code : undefined,
    httpStatus,
    // The vendor's own message, not the SDK's, which repeats the request URL.
    message: String(
      e.data?.Message ?? (network ? 'no answer from the endpoint' : (e.message ?? 'unknown error')),
    ),
    requestId: String(e.requestId ?? e.data?.RequestId ?? '') || undefined,
    network,
  });
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && /Timeout/i.test(error.name);
}

/** Runs one SDK call and turns its outcome into a CallResult. */
export async function callAlibaba(
  call: () => Promise<{ body?: { requestId?: string } }>,
): Promise<CallResult> {
  try {
    const response = await call();
    return { ok: true, requestId: response.body?.requestId };
  } catch (error) {
    return { ok: false, error: alibabaError(error) };
  }
}
