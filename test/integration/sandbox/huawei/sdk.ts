import { createHash } from 'node:crypto';
import { type IncomingHttpHeaders, request } from 'node:http';
import { stringify } from 'node:querystring';
import { GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { DefaultHttpClient } from '@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpClient';
import { type Logger, LogLevel } from '@huaweicloud/huaweicloud-sdk-core/logger';
import { IamClient } from '@huaweicloud/huaweicloud-sdk-iam/v5/IamClient';
import type { TestCredentials } from '../../../../local/sdk-clients';

/**
 * The SDK's DefaultHttpClient prints every error response to STDOUT through log4js, with the whole
 * axios config: Authorization (AK + signature) and X-Security-Token included. ClientBuilder offers no
 * way to pass a logger, but DefaultHttpClient's documented ClientOptions.logger does, so the tests build
 * the same client by hand (IamClient's public constructor takes the HcClient) with a logger that keeps
 * what the SDK says in memory instead.
 */
export class CapturingLogger implements Logger {
  /** Warnings and errors only: the SDK's debug lines carry the signed headers, which are not kept. */
  readonly lines: string[] = [];
  private level = LogLevel.ERROR;
  debug(): void {}
  info(): void {}
  warn(...msg: unknown[]): void {
    this.lines.push(msg.map(String).join(' '));
  }
  error(...msg: unknown[]): void {
    this.lines.push(msg.map(String).join(' '));
  }
  setLevel(level: LogLevel): void {
    this.level = level;
  }
  getLevel(): LogLevel {
    return this.level;
  }
  setName(): void {}
}

const DEFAULT = { accessKeyId: 'sandbox', secret: 'sandbox-secret' };

export interface QuietOptions {
  logger?: CapturingLogger;
  /** axios timeout in ms: the SDK's own default is 0, i.e. wait forever. */
  timeoutMs?: number;
}

export function quietHuaweiClient(url: string, creds: TestCredentials = {}, options: QuietOptions = {}) {
  const c = { ...DEFAULT, ...creds };
  let credential = new GlobalCredentials().withAk(c.accessKeyId).withSk(c.secret);
  if (c.token) credential = credential.withSecurityToken(c.token);
  const logger = options.logger ?? new CapturingLogger();
  const http = new DefaultHttpClient(
    { logger, axiosRequestConfig: { timeout: options.timeoutMs ?? 5_000 } },
    [url],
  );
  const hc = new HcClient(http).withCredential(credential).withEndpoints([url]);
  return new IamClient(hc);
}

export interface RawCall {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  /** JSON the signer hashes and the request carries, as the SDK sends a model body. */
  json?: unknown;
  /** A body sent verbatim, declared with X-Sdk-Content-Sha256 as the signer allows for non-JSON. */
  rawBody?: string;
  creds?: TestCredentials;
  /** An X-Sdk-Date the signer then uses instead of now. */
  sdkDate?: string;
  /** Changes the signed headers before sending (to forge or drop one). */
  tamper?: (headers: Record<string, string>) => void;
}

export interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> | undefined;
}

/**
 * Signs with the SDK's own AKSKSigner and sends with node:http, for what the IamClient cannot send
 * (a malformed body, a wrong method, an old date) while still signing exactly as the SDK does.
 */
export async function signedCall(url: string, call: RawCall): Promise<RawReply> {
  const c = { ...DEFAULT, ...call.creds };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (c.token) headers['X-Security-Token'] = c.token;
  if (call.sdkDate) headers['X-Sdk-Date'] = call.sdkDate;
  const body = call.rawBody ?? (call.json === undefined ? undefined : JSON.stringify(call.json));
  if (call.rawBody !== undefined)
    headers['X-Sdk-Content-Sha256'] = createHash('sha256').update(call.rawBody).digest('hex');
  const credential = new GlobalCredentials().withAk(c.accessKeyId).withSk(c.secret);
  const signed = AKSKSigner.sign(
    {
      endpoint: `${url}${call.path}`,
      method: call.method,
      headers,
      queryParams: call.query ?? {},
      data: call.json,
    },
    credential,
  ) as Record<string, string>;
  call.tamper?.(signed);
  const query = stringify(call.query ?? {});
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}${call.path}${query ? `?${query}` : ''}`,
      { method: call.method, headers: signed },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? JSON.parse(text) : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The IamClient resolves with the parsed JSON body plus `httpStatusCode`, not an instance of the
 * response model: the model's camelCase getters (`attachedPolicies`, `pageInfo`) are undefined at
 * runtime and only the snake_case wire keys exist. This cast says so instead of trusting the .d.ts.
 */
export function wire<T>(response: unknown): T & { httpStatusCode: number } {
  return response as T & { httpStatusCode: number };
}

export interface PageInfoWire {
  current_count: number;
  next_marker?: string;
}

/** The error a call failed with (the SDK rejects with its wire error object); a call that succeeds fails the test. */
export async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}
