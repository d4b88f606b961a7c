import { callerOf } from '../keys';
import type { Caller, KeyLookup, RawRequest, SandboxKey } from '../types';
import { constantTimeEqual, headerValue } from '../wire';
import { authErrors, iamErrors } from './errors';
import {
  formatSdkDate,
  parseAuthorization,
  parseSdkDate,
  sha256Hex,
  signature,
  UNSIGNED_PAYLOAD,
} from './signature';

// "If the time difference exceeds 15 minutes, API Gateway will reject the request." (AK/SK authentication)
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Verifies an SDK-HMAC-SHA256 request the way the API gateway does, then the temporary-key token. */
export function authenticate(request: RawRequest, keys: KeyLookup, now: Date): Caller {
  const header = headerValue(request.headers, 'authorization');
  if (header === undefined && headerValue(request.headers, 'x-auth-token') !== undefined) {
    // An agency (assumed-role) token: IAM v5 wants X-User-Profile with it. The sandbox issues no
    // tokens, so even a complete one cannot be verified.
    if (headerValue(request.headers, 'x-user-profile') === undefined) throw iamErrors.missingUserProfile();
    throw authErrors.tokenInvalid();
  }
  if (header === undefined) throw authErrors.noCredentials();
  const auth = parseAuthorization(header);
  if (!auth) throw authErrors.signatureMismatch();
  const key = keys('huawei', auth.accessKeyId);
  if (!key) throw authErrors.unknownKey(auth.accessKeyId);

  const sdkDate = headerValue(request.headers, 'x-sdk-date');
  const signedAt = parseSdkDate(sdkDate);
  if (!sdkDate || !signedAt || !auth.signedHeaders.includes('x-sdk-date'))
    throw authErrors.signatureMismatch();
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_CLOCK_SKEW_MS)
    throw authErrors.expired(sdkDate, formatSdkDate(now));

  const token = headerValue(request.headers, 'x-security-token');
  // An unsigned token could be swapped in transit; the SDK always signs the one it sends.
  if (token !== undefined && !auth.signedHeaders.includes('x-security-token'))
    throw authErrors.signatureMismatch();

  const expected = signature(key.secret, {
    method: request.method,
    rawPath: request.rawPath,
    rawQuery: request.rawQuery,
    headers: request.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: payloadHash(request, auth.signedHeaders),
    sdkDate,
  });
  if (!constantTimeEqual(expected, auth.signature)) throw authErrors.signatureMismatch();
  checkToken(key, token);

  return callerOf(key);
}

/**
 * The signer hashes the body unless X-Sdk-Content-Sha256 is set, whose value it then uses as is
 * (the SDK sets UNSIGNED-PAYLOAD for non-JSON bodies). A declared hash must still match the body.
 */
function payloadHash(request: RawRequest, signedHeaders: readonly string[]): string {
  const actual = sha256Hex(request.body);
  const declared = headerValue(request.headers, 'x-sdk-content-sha256');
  if (declared === undefined) return actual;
  if (!signedHeaders.includes('x-sdk-content-sha256')) throw authErrors.signatureMismatch();
  if (declared !== UNSIGNED_PAYLOAD && declared !== actual) throw authErrors.signatureMismatch();
  return declared;
}

/** A temporary key needs exactly its token; a permanent key must not carry one. */
function checkToken(key: SandboxKey, token: string | undefined): void {
  if (key.token === undefined) {
    if (token !== undefined) throw authErrors.tokenInvalid();
    return;
  }
  if (token === undefined) throw authErrors.tokenMissing();
  if (!constantTimeEqual(token, key.token)) throw authErrors.tokenInvalid();
}
