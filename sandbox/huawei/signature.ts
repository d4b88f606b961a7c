import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { headerValue } from '../wire';

/**
 * SDK-HMAC-SHA256 as @huaweicloud/huaweicloud-sdk-core 3.1.211 computes it (auth/AKSKSigner.js),
 * rebuilt from the raw request so the sandbox can verify what the SDK signed.
 */
export const ALGORITHM = 'SDK-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

// The signer's own table: RFC 3986 unreserved characters stay, everything else is %XX (upper case).
const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** The signer's `urlEncode`: UTF-8 percent-encoding of all but the unreserved characters. */
export function urlEncode(value: string): string {
  let out = '';
  for (const char of value) {
    if (UNRESERVED.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8'))
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The signer encodes each segment of the path it sent (url.parse's pathname), without decoding it
 * first, and always ends the URI with '/'. Encoding the raw segments reproduces that bug for bug.
 */
export function canonicalUri(rawPath: string): string {
  const uri = rawPath.split('/').map(urlEncode).join('/');
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/**
 * The SDK signs its query object (keys sorted, array values sorted, both encoded with `urlEncode`) and
 * sends it through querystring.stringify, which never turns a space into '+'; so decoding each pair
 * once gives back the values it signed.
 */
export function canonicalQuery(rawQuery: string): string {
  const params = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    params.set(key, [...(params.get(key) ?? []), value]);
  }
  return [...params.keys()]
    .sort()
    .flatMap((key) => (params.get(key) ?? []).sort().map((v) => `${urlEncode(key)}=${urlEncode(v)}`))
    .join('&');
}

/**
 * `name:value\n` for each signed header. The signer orders these with localeCompare but the
 * SignedHeaders list with a code-unit sort; follow it, even where the two orders could differ.
 */
export function canonicalHeaders(signedHeaders: readonly string[], headers: IncomingHttpHeaders): string {
  return [...signedHeaders]
    .sort((a, b) => a.localeCompare(b))
    .map((name) => `${name}:${headerValue(headers, name) ?? ''}\n`)
    .join('');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface SignatureInput {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  signedHeaders: readonly string[];
  payloadHash: string;
  /** The X-Sdk-Date value exactly as sent, e.g. 20261121T054142Z. */
  sdkDate: string;
}

export function canonicalRequest(input: SignatureInput): string {
  return [
    input.method.toUpperCase(),
    canonicalUri(input.rawPath),
    canonicalQuery(input.rawQuery),
    canonicalHeaders(input.signedHeaders, input.headers),
    input.signedHeaders.join(';'),
    input.payloadHash,
  ].join('\n');
}

/** The hex signature the SDK puts in `Signature=`: HMAC-SHA256 keyed directly with the secret key. */
export function signature(secret: string, input: SignatureInput): string {
  const stringToSign = [ALGORITHM, input.sdkDate, sha256Hex(canonicalRequest(input))].join('\n');
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

export interface AuthorizationHeader {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=a;b, Signature=…`; undefined when malformed. */
export function parseAuthorization(value: string | undefined): AuthorizationHeader | undefined {
  const match = /^SDK-HMAC-SHA256\s+(.*)$/.exec(value?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const fields = new Map<string, string>();
  for (const part of match[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Access');
  const signedHeaders = fields.get('SignedHeaders');
  const sig = fields.get('Signature');
  if (!accessKeyId || !signedHeaders || !sig) return undefined;
  return { accessKeyId, signedHeaders: signedHeaders.toLowerCase().split(';'), signature: sig };
}

/** `YYYYMMDDTHHMMSSZ` (the signer's BasicDateFormat + 'Z') to a Date; undefined when malformed. */
export function parseSdkDate(value: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  const [y = 0, mo = 0, d, h, mi, s] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 20261332T… over into a valid date; only a round trip proves the value was real.
  return formatSdkDate(date) === value ? date : undefined;
}

export function formatSdkDate(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}
