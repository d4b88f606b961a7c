import { createHash, createHmac } from 'node:crypto';

/**
 * The `FC <AccessKeyId>:<signature>` scheme of Function Compute's 2016-08-15 API, exactly as
 * @alicloud/fc2 computes it (lib/client.js getSignature, lib/helper.js composeStringToSign).
 */
export const FC_API_VERSION = '2016-08-15';
export const FC_SIGNED_HEADER_PREFIX = 'x-fc-';

export type HeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>;

function single(value: string | readonly string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : (value as string | undefined);
}

/**
 * `METHOD\n<content-md5>\n<content-type>\n<date>\n` then every `x-fc-*` header as `name:value\n`
 * (names lower-cased and sorted), then the path; signed query parameters (fc2 signs them only for
 * /proxy/ paths) follow as sorted `key=value` lines.
 */
export function fcStringToSign(
  method: string,
  path: string,
  headers: HeaderValues,
  queries?: Readonly<Record<string, string | readonly string[]>>,
): string {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const v = single(value);
    if (v !== undefined) lower.set(name.toLowerCase().trim(), v);
  }
  const fcHeaders = [...lower.keys()]
    .filter((name) => name.startsWith(FC_SIGNED_HEADER_PREFIX))
    .sort()
    .map((name) => `${name}:${lower.get(name)}\n`)
    .join('');
  let text = `${method}\n${lower.get('content-md5') ?? ''}\n${lower.get('content-type') ?? ''}\n${lower.get('date') ?? ''}\n${fcHeaders}${path}`;
  if (queries) {
    const params = Object.entries(queries).flatMap(([key, values]) =>
      (typeof values === 'string' ? [values] : [...values]).map((value) => `${key}=${value}`),
    );
    text += `\n${params.sort().join('\n')}`;
  }
  return text;
}

/** Base64 of HMAC-SHA256(secret, stringToSign). */
export function fcSignature(secret: string, stringToSign: string): string {
  return createHmac('sha256', secret).update(stringToSign, 'utf8').digest('base64');
}

export function fcAuthorization(accessKeyId: string, secret: string, stringToSign: string): string {
  return `FC ${accessKeyId}:${fcSignature(secret, stringToSign)}`;
}

/** fc2's Content-MD5: the base64 of the *hex* MD5 digest of the body (not of the raw digest, as RFC 1864 has it). */
export function fcContentMd5(body: Buffer): string {
  return Buffer.from(createHash('md5').update(body).digest('hex'), 'utf8').toString('base64');
}

/** The RFC 1864 form (base64 of the raw digest), which other clients of the API send. */
export function rfcContentMd5(body: Buffer): string {
  return createHash('md5').update(body).digest('base64');
}

/** `FC <AccessKeyId>:<base64 signature>`; the key id may itself contain '.' (STS.…) but never ':'. */
export function parseFcAuthorization(value: string): { accessKeyId: string; signature: string } | undefined {
  const match = /^FC ([^:\s]+):([A-Za-z0-9+/]+={0,2})$/.exec(value.trim());
  return match ? { accessKeyId: match[1] as string, signature: match[2] as string } : undefined;
}
