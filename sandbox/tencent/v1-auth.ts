import { NonceCache } from '../alibaba/nonce-cache';
import { callerOf } from '../keys';
import type { Caller, KeyLookup, RawRequest } from '../types';
import { constantTimeEqual, headerValue } from '../wire';
import { API_VERSION, checkToken, MAX_SKEW_SECONDS } from './auth';
import { gatewayErrors } from './errors';
import { V1_SIGNATURE_METHODS, type V1SignatureMethod, v1Signature, v1StringToSign } from './v1-signature';

// One store for the process: a v1 request is identified by its key, time, nonce and signature.
const seen = new NonceCache(MAX_SKEW_SECONDS * 1000);

/**
 * The parameters of a v1-signed request (GET query or form POST), or undefined for any other request.
 * v1 has no header of its own: a request is v1 when it carries no Authorization header and its
 * parameters name a SecretId and a Signature.
 */
export function v1ParamsOf(request: RawRequest): Record<string, string> | undefined {
  if (headerValue(request.headers, 'authorization') !== undefined) return undefined;
  const contentType = (headerValue(request.headers, 'content-type') ?? '').toLowerCase();
  const encoded =
    request.method === 'GET'
      ? request.rawQuery
      : contentType.startsWith('application/x-www-form-urlencoded')
        ? request.body.toString('utf8')
        : '';
  const params = Object.fromEntries(new URLSearchParams(encoded));
  return params.SecretId !== undefined && params.Signature !== undefined ? params : undefined;
}

/**
 * Verifies a v1 request (HmacSHA1 / HmacSHA256) in the order the TC3 path uses: key, timestamp,
 * signature, replay, token, version. The signed host is the Host header as sent, or without its port
 * (the SDK signs its configured endpoint; behind the real endpoint both are the same string).
 */
export function authenticateV1(request: RawRequest, keys: KeyLookup, now: Date): Caller {
  if (request.method !== 'GET' && request.method !== 'POST')
    throw gatewayErrors.unsupportedProtocol(request.method);
  const params = v1ParamsOf(request) ?? {};
  const rawTimestamp = params.Timestamp;
  if (!rawTimestamp) throw gatewayErrors.missingParameter('Timestamp');
  if (!/^\d{1,12}$/.test(rawTimestamp)) throw gatewayErrors.wrongType('Timestamp', 'Integer');
  if (!params.Nonce) throw gatewayErrors.missingParameter('Nonce');
  if (!/^\d{1,20}$/.test(params.Nonce)) throw gatewayErrors.wrongType('Nonce', 'Integer');
  const timestamp = Number(rawTimestamp);

  const key = keys('tencent', params.SecretId ?? '');
  if (!key) throw gatewayErrors.secretIdNotFound();
  const serverTime = Math.floor(now.getTime() / 1000);
  if (Math.abs(serverTime - timestamp) > MAX_SKEW_SECONDS)
    throw gatewayErrors.signatureExpire(timestamp, serverTime);

  // The documented default when SignatureMethod is absent is HmacSHA1.
  const method = params.SignatureMethod ?? 'HmacSHA1';
  if (!Object.hasOwn(V1_SIGNATURE_METHODS, method)) throw gatewayErrors.signatureFailure();
  const host = headerValue(request.headers, 'host') ?? '';
  const hostname = host.replace(/:\d+$/, '');
  const pairs = Object.entries(params);
  const valid = [...new Set([host, hostname])].some((signedHost) =>
    constantTimeEqual(
      v1Signature(
        key.secret,
        method as V1SignatureMethod,
        v1StringToSign(request.method, signedHost, request.rawPath, pairs),
      ),
      params.Signature ?? '',
    ),
  );
  if (!valid) throw gatewayErrors.signatureFailure();
  const replayKey = `${key.accessKeyId}:${timestamp}:${params.Nonce}:${params.Signature}`;
  if (!seen.remember(replayKey, timestamp * 1000, now.getTime())) throw gatewayErrors.replayed();

  checkToken(key, params.Token);
  if (!params.Version) throw gatewayErrors.missingParameter('Version');
  if (params.Version !== API_VERSION) throw gatewayErrors.noSuchVersion(params.Version);
  return callerOf(key);
}
