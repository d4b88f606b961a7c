import { createHash, createHmac } from 'node:crypto';

/**
 * TC3-HMAC-SHA256, as `tencentcloud-sdk-nodejs/tencentcloud/common/sign.js` computes it:
 * canonical request → string to sign → HMAC chain keyed by date, service and `tc3_request`.
 */
export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

export interface Tc3Request {
  method: string;
  /** Path and query exactly as sent (the SDK signs `URL.pathname` and `URL.search` unchanged). */
  path: string;
  query: string;
  /** Signed header names, lowercase, in the order of `SignedHeaders`. */
  signedHeaders: readonly string[];
  /** Value of each signed header as it enters the canonical request. */
  headerValues: Readonly<Record<string, string>>;
  payload: Buffer | string;
  /** Unix seconds, the value of X-TC-Timestamp. */
  timestamp: number;
  service: string;
}

export interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const match = AUTHORIZATION.exec(value.trim());
  if (!match) return undefined;
  const [, secretId = '', date = '', service = '', signedHeaders = '', signature = ''] = match;
  return { secretId, date, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** The service the SDK signs for: `endpoint.split('.')[0]`, i.e. `127` for `127.0.0.1:4600`. */
export function serviceOfHost(host: string): string {
  return host.split('.')[0] ?? '';
}

/** UTC calendar date of the timestamp, the date of the credential scope. */
export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export function canonicalRequest(request: Tc3Request): string {
  const headers = request.signedHeaders
    .map((name) => `${name}:${request.headerValues[name] ?? ''}\n`)
    .join('');
  return [
    request.method.toUpperCase(),
    request.path,
    request.query,
    headers,
    request.signedHeaders.join(';'),
    sha256Hex(request.payload),
  ].join('\n');
}

export function stringToSign(request: Tc3Request): string {
  const scope = `${utcDate(request.timestamp)}/${request.service}/tc3_request`;
  return [TC3_ALGORITHM, String(request.timestamp), scope, sha256Hex(canonicalRequest(request))].join('\n');
}

export function tc3Signature(secretKey: string, request: Tc3Request): string {
  const kDate = hmac(`TC3${secretKey}`, utcDate(request.timestamp));
  const kService = hmac(kDate, request.service);
  const kSigning = hmac(kService, 'tc3_request');
  return createHmac('sha256', kSigning).update(stringToSign(request)).digest('hex');
}

/** The Authorization header a client would send; used by tests that must forge a request. */
export function tc3Authorization(secretId: string, secretKey: string, request: Tc3Request): string {
  const scope = `${secretId}/${utcDate(request.timestamp)}/${request.service}/tc3_request`;
  return `${TC3_ALGORITHM} Credential=${scope}, SignedHeaders=${request.signedHeaders.join(';')}, Signature=${tc3Signature(secretKey, request)}`;
}

function hmac(key: string | Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
