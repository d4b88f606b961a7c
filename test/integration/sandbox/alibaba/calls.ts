import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { expect } from 'vitest';
import { authorizationFor, sha256Hex } from '../../../../sandbox/alibaba/signature';

/** What the SDK's ClientError / ServerError / ThrottlingError expose, as the provider layer will read it. */
export interface AlibabaSdkError {
  name: string;
  code: string;
  statusCode: number;
  message: string;
  requestId: string;
  data: { RequestId: string; HostId: string; Code: string; Message: string; Recommend: string };
  accessDeniedDetail?: Record<string, unknown> | null;
}

export async function sdkError(call: Promise<unknown>): Promise<AlibabaSdkError> {
  try {
    await call;
  } catch (error) {
    return error as AlibabaSdkError;
  }
  throw new Error('expected the call to fail');
}

/** Asserts code, HTTP status and message, and that the envelope's RequestId reached the SDK. */
export async function expectAlibabaError(
  call: Promise<unknown>,
  expected: { code: string; status: number; message?: string | RegExp },
): Promise<AlibabaSdkError> {
  const error = await sdkError(call);
  expect({ code: error.code, status: error.statusCode }).toEqual({
    code: expected.code,
    status: expected.status,
  });
  if (typeof expected.message === 'string') expect(error.data.Message).toBe(expected.message);
  else if (expected.message) expect(error.data.Message).toMatch(expected.message);
  expect(error.requestId).toBe(error.data.RequestId);
  expect(error.data.HostId).toBe('resourcemanager.aliyuncs.com');
  return error;
}

export interface RawCallOptions {
  action?: string;
  version?: string;
  query?: string;
  body?: string;
  contentType?: string;
  accessKeyId?: string;
  secret?: string;
  token?: string;
  date?: Date;
  nonce?: string;
  /** Change a header after signing (to show tampering is caught). */
  afterSigning?: (headers: Record<string, string>) => void;
}

/** A hand-signed request, for what the SDK cannot be made to send (old dates, fixed nonces, odd bodies). */
export async function rawCall(url: string, options: RawCallOptions = {}) {
  const { host } = new URL(url);
  const body = options.body ?? '';
  const query = options.query ?? '';
  const headers: Record<string, string> = {
    host,
    'x-acs-action': options.action ?? 'ListPolicies',
    'x-acs-version': options.version ?? '2020-03-31',
    'x-acs-date': (options.date ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': options.nonce ?? randomUUID(),
    'x-acs-content-sha256': sha256Hex(body),
  };
  if (options.contentType) headers['content-type'] = options.contentType;
  if (options.token) headers['x-acs-security-token'] = options.token;
  const decoded = new URLSearchParams(query);
  headers.authorization = authorizationFor({
    method: 'POST',
    path: '/',
    query: [...decoded.entries()],
    headers,
    payloadHash: sha256Hex(body),
    accessKeyId: options.accessKeyId ?? 'sandbox',
    secret: options.secret ?? 'sandbox-secret',
  });
  options.afterSigning?.(headers);
  return send(`${url}/${query ? `?${query}` : ''}`, headers, body);
}

/** node:http rather than fetch: the request goes out with exactly these headers (fetch rewrites host). */
function send(url: string, headers: Record<string, string>, body: string) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}
