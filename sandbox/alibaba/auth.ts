import { callerOf } from '../keys';
import type { Caller, KeyLookup, RawRequest, SandboxKey } from '../types';
import { constantTimeEqual, headerValue } from '../wire';
import { gateway } from './errors';
import { NonceCache } from './nonce-cache';
import { decodePairs } from './params';
import {
  ACS3_ALGORITHM,
  canonicalRequest,
  headersToSign,
  parseAuthorization,
  sha256Hex,
  signatureOf,
} from './signature';
import { STS_API_VERSION } from './sts/get-caller-identity';

export const API_VERSION = '2020-03-31';
/** Alibaba accepts a signed date up to 15 minutes either side of its clock. */
export const DATE_WINDOW_MS = 15 * 60 * 1000;
const ACS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

// One cache for the process: nonces are random per request, so sandboxes sharing it never collide.
const nonces = new NonceCache(DATE_WINDOW_MS);

/**
 * Verifies an ACS3-HMAC-SHA256 request in the gateway's order: version, signature shape, date, key,
 * signature, token, then the nonce (recorded only for requests that verified, so forgeries cannot burn it).
 */
export function authenticate(request: RawRequest, keys: KeyLookup, now: Date): Caller {
  const version = headerValue(request.headers, 'x-acs-version');
  const sts = headerValue(request.headers, 'x-acs-action') === 'GetCallerIdentity';
  if (version !== (sts ? STS_API_VERSION : API_VERSION)) throw gateway.invalidVersion();
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization) throw gateway.incompleteSignature('The Authorization header is missing.');
  const parsed = parseAuthorization(authorization);
  if (!parsed) throw gateway.incompleteSignature('The Authorization header is malformed.');
  if (parsed.algorithm !== ACS3_ALGORITHM) throw gateway.invalidSignatureMethod();
  const required = headersToSign(Object.keys(request.headers));
  const unsigned = required.filter((name) => !parsed.signedHeaders.includes(name));
  if (unsigned.length > 0) throw gateway.incompleteSignature(`Headers not signed: ${unsigned.join(', ')}.`);

  const date = headerValue(request.headers, 'x-acs-date');
  const signedAt = date && ACS_DATE.test(date) ? Date.parse(date) : Number.NaN;
  if (Number.isNaN(signedAt)) throw gateway.timestampFormat();
  if (Math.abs(now.getTime() - signedAt) > DATE_WINDOW_MS) throw gateway.timestampExpired();
  const nonce = headerValue(request.headers, 'x-acs-signature-nonce');
  if (!nonce) throw gateway.missingParameter('x-acs-signature-nonce');

  const key = keys('alibaba', parsed.accessKeyId);
  if (!key) throw gateway.accessKeyNotFound();
  const headerKeyId = headerValue(request.headers, 'x-acs-accesskey-id');
  if (headerKeyId !== undefined && headerKeyId !== parsed.accessKeyId) throw gateway.tokenMismatch();

  const signedValues: Record<string, string> = {};
  for (const name of parsed.signedHeaders) signedValues[name] = headerValue(request.headers, name) ?? '';
  const expected = signatureOf(
    key.secret,
    canonicalRequest({
      method: request.method,
      path: request.rawPath,
      query: decodePairs(request.rawQuery, 'query string'),
      headers: signedValues,
      signedHeaders: parsed.signedHeaders,
      // The body's own hash, not the header's claim: a tampered body fails the signature.
      payloadHash: sha256Hex(request.body),
    }),
  );
  if (!constantTimeEqual(expected, parsed.signature.toLowerCase())) throw gateway.signatureDoesNotMatch();

  checkToken(key, headerValue(request.headers, 'x-acs-security-token'));
  rememberNonce(key, nonce, signedAt, now);
  return callerOf(key);
}

/** A temporary key needs exactly its own token; a permanent key must not carry one. */
export function checkToken(key: SandboxKey, token: string | undefined): void {
  if (token === '') throw gateway.tokenMalformed();
  if (key.token !== undefined) {
    if (token === undefined) throw gateway.missingToken();
    if (token !== key.token) throw gateway.tokenMismatch();
  } else if (token !== undefined) {
    // A permanent key was issued no token, so any token sent with it belongs to some other key.
    throw gateway.tokenMismatch();
  }
}

/** Records a verified request's nonce; SignatureNonceUsed when it was seen inside the window. */
export function rememberNonce(key: SandboxKey, nonce: string, signedAt: number, now: Date): void {
  if (!nonces.remember(`${key.accessKeyId}:${nonce}`, signedAt, now.getTime())) throw gateway.nonceUsed();
}
