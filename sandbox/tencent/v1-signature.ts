import { createHmac } from 'node:crypto';

/**
 * API 3.0's v1 signatures, as tencentcloud-sdk-nodejs 4.1.313 computes them (common/abstract_client.js
 * `formatRequestData` / `formatSignString`, common/sign.js `Sign.sign`) and Tencent's "Signature" (v1)
 * page describes:
 *   StringToSign = METHOD + host + path + "?" + `key=value` pairs sorted by key, joined by "&", raw (not
 *                  URL-encoded), every parameter but Signature
 *   Signature    = base64(HMAC-SHA1 or HMAC-SHA256(SecretKey, StringToSign))
 * The common parameters travel with the action's own: Action, Version, Region, Timestamp, Nonce,
 * SecretId, SignatureMethod, Token, Language, RequestClient.
 */
export const V1_SIGNATURE_METHODS = { HmacSHA1: 'sha1', HmacSHA256: 'sha256' } as const;
export type V1SignatureMethod = keyof typeof V1_SIGNATURE_METHODS;

export const V1_COMMON_PARAMS = new Set([
  'Action',
  'Version',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'Signature',
  'SignatureMethod',
  'Token',
  'Language',
  'RequestClient',
]);

export function v1StringToSign(
  method: string,
  host: string,
  path: string,
  params: ReadonlyArray<readonly [string, string]>,
): string {
  const pairs = params
    .filter(([key]) => key !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  return `${method.toUpperCase()}${host}${path}?${pairs}`;
}

export function v1Signature(secretKey: string, method: V1SignatureMethod, stringToSign: string): string {
  return createHmac(V1_SIGNATURE_METHODS[method], secretKey).update(stringToSign, 'utf8').digest('base64');
}

/** A signed, URL-encoded parameter string (for tests and tools that craft raw v1 requests). */
export function v1SignedParams(input: {
  method: 'GET' | 'POST';
  host: string;
  params: Readonly<Record<string, string>>;
  secretId: string;
  secretKey: string;
  token?: string;
  signatureMethod: V1SignatureMethod;
  timestamp: number;
  nonce: number;
}): string {
  const params: Record<string, string> = {
    ...input.params,
    SecretId: input.secretId,
    SignatureMethod: input.signatureMethod,
    Timestamp: String(input.timestamp),
    Nonce: String(input.nonce),
    ...(input.token ? { Token: input.token } : {}),
  };
  const pairs = Object.entries(params);
  const toSign = v1StringToSign(input.method, input.host, '/', pairs);
  const signature = v1Signature(input.secretKey, input.signatureMethod, toSign);
  return new URLSearchParams([...pairs, ['Signature', signature]]).toString();
}
