import { expect } from 'vitest';
import type { Sandbox } from '../../../../sandbox/server';
import { serviceOfHost, tc3Authorization } from '../../../../sandbox/tencent/signature';

/** What the SDK's TencentCloudSDKHttpException exposes to a caller. */
export interface SdkFailure {
  code?: string;
  message: string;
  requestId: string;
  httpCode?: number;
}

export async function failureOf(call: Promise<unknown>): Promise<SdkFailure> {
  try {
    await call;
  } catch (error) {
    return error as SdkFailure;
  }
  throw new Error('expected the SDK call to fail');
}

/**
 * Asserts the code and message the SDK surfaces, and that the wire answer was Tencent's HTTP 200
 * envelope (the SDK only sets `httpCode` for non-200 answers; the call log records the status).
 */
export async function expectTencentError(
  sandbox: Sandbox,
  call: Promise<unknown>,
  code: string,
  message: RegExp,
): Promise<SdkFailure> {
  const failure = await failureOf(call);
  expect({ code: failure.code, httpCode: failure.httpCode }).toEqual({ code, httpCode: undefined });
  expect(failure.message).toMatch(message);
  expect(failure.requestId).toMatch(/^[0-9a-f-]{36}$/);
  const record = sandbox.calls.list().find((c) => c.requestId === failure.requestId);
  expect(record).toMatchObject({ code, httpStatus: 200 });
  return failure;
}

export interface RawCall {
  action?: string;
  version?: string;
  method?: 'GET' | 'POST' | 'PUT';
  body?: string;
  query?: string;
  contentType?: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  secretId?: string;
  secret?: string;
  token?: string;
  /** Sign other values than the ones sent: a tampered body, a scope dated another day. */
  signed?: { body?: string; timestamp?: number };
  authorization?: string;
}

/** A TC3 request built by hand, for what the SDK will not send (stale clocks, bad bodies, bad versions). */
export interface TencentEnvelope {
  Response: { Error?: { Code: string; Message: string }; RequestId: string; [field: string]: unknown };
}

export async function rawTencent(
  url: string,
  call: RawCall,
): Promise<{ status: number; json: TencentEnvelope }> {
  const { host } = new URL(url);
  const method = call.method ?? 'POST';
  const body = call.body ?? (method === 'GET' ? '' : '{}');
  const contentType =
    call.contentType ?? (method === 'GET' ? 'application/x-www-form-urlencoded' : 'application/json');
  const timestamp = call.timestamp ?? Math.floor(Date.now() / 1000);
  const query = call.query ?? '';
  const authorization =
    call.authorization ??
    tc3Authorization(call.secretId ?? 'sandbox', call.secret ?? 'sandbox-secret', {
      method,
      path: '/',
      query,
      signedHeaders: ['content-type', 'host'],
      headerValues: { 'content-type': contentType, host: host.replace(/:\d+$/, '') },
      payload: call.signed?.body ?? body,
      timestamp: call.signed?.timestamp ?? timestamp,
      service: serviceOfHost(host),
    });
  const headers: Record<string, string> = {
    authorization,
    'content-type': contentType,
    'x-tc-action': call.action ?? 'ListPolicies',
    'x-tc-version': call.version ?? '2021-03-31',
    'x-tc-timestamp': String(timestamp),
  };
  if (call.token) headers['x-tc-token'] = call.token;
  const response = await fetch(`${url}/${query ? `?${query}` : ''}`, {
    method,
    headers,
    body: method === 'GET' ? undefined : body,
  });
  return { status: response.status, json: (await response.json()) as TencentEnvelope };
}
