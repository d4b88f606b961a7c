import { callerOf } from '../keys';
import type { Caller, KeyLookup, RawRequest, SandboxKey } from '../types';
import { constantTimeEqual, headerValue } from '../wire';
import { gatewayErrors } from './errors';
import {
  type ParsedAuthorization,
  parseAuthorization,
  serviceOfHost,
  type Tc3Request,
  tc3Signature,
  utcDate,
} from './signature';
import { STS_API_VERSION } from './sts/get-caller-identity';

export const API_VERSION = '2021-03-31';
/** API 3.0: "Timestamp and server time cannot differ by more than five minutes." */
export const MAX_SKEW_SECONDS = 5 * 60;
/** TC3 requires at least these two headers to be signed. */
const REQUIRED_SIGNED = ['content-type', 'host'];

export function header(request: RawRequest, name: string): string | undefined {
  return headerValue(request.headers, name);
}

/**
 * Verifies a TC3-HMAC-SHA256 request the way the API 3.0 gateway does: well-formed Authorization,
 * known SecretId, fresh timestamp, matching signature, then the session token rule.
 */
export function authenticate(request: RawRequest, keys: KeyLookup, now: Date): Caller {
  if (request.method !== 'GET' && request.method !== 'POST')
    throw gatewayErrors.unsupportedProtocol(request.method);
  const authorization = header(request, 'authorization');
  if (!authorization) throw gatewayErrors.invalidAuthorization('the Authorization header is missing');
  const parsed = parseAuthorization(authorization);
  if (!parsed) throw gatewayErrors.invalidAuthorization('expected a TC3-HMAC-SHA256 credential');
  const rawTimestamp = header(request, 'x-tc-timestamp');
  if (!rawTimestamp) throw gatewayErrors.missingParameter('X-TC-Timestamp');
  if (!/^\d{1,12}$/.test(rawTimestamp)) throw gatewayErrors.wrongType('X-TC-Timestamp', 'Integer');
  const timestamp = Number(rawTimestamp);

  const key = keys('tencent', parsed.secretId);
  if (!key) throw gatewayErrors.secretIdNotFound();
  const serverTime = Math.floor(now.getTime() / 1000);
  if (Math.abs(serverTime - timestamp) > MAX_SKEW_SECONDS)
    throw gatewayErrors.signatureExpire(timestamp, serverTime);
  verifySignature(request, key, parsed, timestamp);
  checkToken(key, header(request, 'x-tc-token'));

  const version = header(request, 'x-tc-version');
  if (!version) throw gatewayErrors.missingParameter('X-TC-Version');
  const sts = header(request, 'x-tc-action') === 'GetCallerIdentity';
  if (version !== (sts ? STS_API_VERSION : API_VERSION)) throw gatewayErrors.noSuchVersion(version);
  return callerOf(key);
}

function verifySignature(
  request: RawRequest,
  key: SandboxKey,
  parsed: ParsedAuthorization,
  timestamp: number,
): void {
  const host = header(request, 'host') ?? '';
  const service = serviceOfHost(host);
  if (parsed.date !== utcDate(timestamp) || parsed.service !== service)
    throw gatewayErrors.signatureFailure();
  if (!REQUIRED_SIGNED.every((name) => parsed.signedHeaders.includes(name)))
    throw gatewayErrors.signatureFailure();
  const headerValues: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = header(request, name);
    if (value === undefined) throw gatewayErrors.signatureFailure();
    headerValues[name] = value.trim();
  }
  const base: Tc3Request = {
    method: request.method,
    path: request.rawPath,
    query: request.rawQuery,
    signedHeaders: parsed.signedHeaders,
    headerValues,
    payload: request.body,
    timestamp,
    service,
  };
  // The Node SDK signs `URL.hostname` (no port) while sending `URL.host`; SDKs that sign the Host
  // header as sent are accepted too. Behind the real endpoint (port 443) both are the same string.
  const hostname = host.replace(/:\d+$/, '');
  const candidates = hostname === host ? [host] : [hostname, host];
  const valid = candidates.some((value) =>
    constantTimeEqual(
      tc3Signature(key.secret, { ...base, headerValues: { ...headerValues, host: value } }),
      parsed.signature,
    ),
  );
  if (!valid) throw gatewayErrors.signatureFailure();
}

/** A temporary key needs exactly its token; a permanent key must not carry one. */
export function checkToken(key: SandboxKey, token: string | undefined): void {
  if (key.token !== undefined) {
    if (!token) throw gatewayErrors.tokenFailure('the temporary credential requires X-TC-Token');
    if (token !== key.token)
      throw gatewayErrors.tokenFailure('the token does not match the temporary credential');
  } else if (token) {
    throw gatewayErrors.tokenFailure('a token was sent with a permanent SecretId');
  }
}
