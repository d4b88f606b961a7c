import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/**
 * ACS3-HMAC-SHA256, recomputed the way @alicloud/openapi-core (dist/utils.js `getAuthorization`) builds it:
 *   METHOD \n canonicalURI \n canonicalQuery \n canonicalHeaders \n signedHeaders \n hex(sha256(body))
 * signed as HMAC-SHA256(secret, "ACS3-HMAC-SHA256\n" + hex(sha256(canonicalRequest))).
 */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

/** RFC 3986 encoding as the SDK does it: encodeURIComponent plus the five characters it leaves raw. */
export function acsEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');

export function sha256Hex(data: Buffer | string): string {
  // RPC calls carry their parameters in the query: most bodies are empty, and their hash never changes.
  if (data.length === 0) return EMPTY_SHA256;
  return createHash('sha256').update(data).digest('hex');
}

export interface ParsedAuthorization {
  algorithm: string;
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=a;b,Signature=hex`; undefined when any part is missing. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const space = header.indexOf(' ');
  if (space <= 0) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !signature) return undefined;
  return {
    algorithm: header.slice(0, space),
    accessKeyId,
    signedHeaders: signedHeaders.split(';'),
    signature,
  };
}

export interface CanonicalInput {
  method: string;
  /** The path as sent (still percent-encoded). */
  path: string;
  /** Decoded query parameters; the SDK signs keys raw and values encoded. */
  query: ReadonlyArray<readonly [string, string]>;
  /** Lower-cased header names to values, for the signed headers. */
  headers: Readonly<Record<string, string>>;
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function canonicalRequest(input: CanonicalInput): string {
  const uri = input.path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  const query = [...input.query]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${acsEncode(value)}`)
    .join('&');
  const headers = input.signedHeaders
    .map((name) => `${name}:${(input.headers[name] ?? '').trim()}\n`)
    .join('');
  return [input.method, uri, query, headers, input.signedHeaders.join(';'), input.payloadHash].join('\n');
}

// Preparing an HMAC key costs as much as using it; the sandbox sees the same few secrets over and over.
const hmacKeys = new Map<string, KeyObject>();
function hmacKey(secret: string): KeyObject {
  let key = hmacKeys.get(secret);
  if (!key) {
    if (hmacKeys.size > 1_000) hmacKeys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    hmacKeys.set(secret, key);
  }
  return key;
}

export function signatureOf(secret: string, canonical: string): string {
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonical)}`;
  return createHmac('sha256', hmacKey(secret)).update(stringToSign).digest('hex');
}

/** Headers a signer must cover: host, content-type and every x-acs-* header present. */
export function headersToSign(headerNames: Iterable<string>): string[] {
  return [...headerNames]
    .map((name) => name.toLowerCase())
    .filter((name) => name === 'host' || name === 'content-type' || name.startsWith('x-acs-'))
    .sort();
}

/** Builds an Authorization header (for tests and tools that craft raw requests). */
export function authorizationFor(
  input: Omit<CanonicalInput, 'signedHeaders'> & { accessKeyId: string; secret: string },
): string {
  const signedHeaders = headersToSign(Object.keys(input.headers));
  const signature = signatureOf(input.secret, canonicalRequest({ ...input, signedHeaders }));
  return `${ACS3_ALGORITHM} Credential=${input.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
}
