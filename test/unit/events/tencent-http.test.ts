import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTencentHttp, tencentHttpResponse } from '../../../shared/events/tencent/http';
import { InvalidEventError } from '../../../shared/events/types';
import { FUZZ_RUNS, fixture, fuzzInputs, parsedOrInvalid } from './helpers';

const FIXTURES = [
  'tencent/function-url.vendor.json',
  'tencent/apigateway.json',
  'tencent/apigateway-base64.json',
];

function invalid(event: unknown): InvalidEventError {
  try {
    parseTencentHttp(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected an InvalidEventError');
}

describe('parseTencentHttp', () => {
  it('reads the function URL sample', () => {
    expect(parseTencentHttp(fixture('tencent/function-url.vendor.json'))).toEqual({
      method: 'POST',
      path: '/',
      headers: {
        accept: '*/*',
        'accept-encoding': 'gzip, deflate, br',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'content-length': '22',
      },
      body: '{"test":"hello world"}',
    });
  });

  it('reads the API Gateway event: request path, not the route template; header names lower-cased', () => {
    const request = parseTencentHttp(fixture('tencent/apigateway.json'));
    expect(request).toMatchObject({ method: 'POST', path: '/test/value', body: '{"test":"body"}' });
    expect(request.headers).toMatchObject({
      'accept-language': 'en-US,en,cn',
      'user-agent': 'User Agent String',
    });
  });

  it('decodes a base64 body and joins headers that differ only in case', () => {
    const request = parseTencentHttp(fixture('tencent/apigateway-base64.json'));
    expect(request.body).toBe('{"requests":[],"dryRun":true}');
    expect(request.headers['x-remediate-signature']).toBe('t=1763625600,v1=00ff,t=1763625600,v1=11ee');
  });

  it('takes the method from requestContext when the event has none of its own', () => {
    const event = { ...(fixture('tencent/apigateway.json') as object), httpMethod: undefined };
    expect(parseTencentHttp(event).method).toBe('POST');
  });

  it('throws InvalidEventError naming the field when the event is not an HTTP event', () => {
    expect(invalid({})).toMatchObject({ field: 'httpMethod' });
    expect(invalid({ httpMethod: 42 })).toMatchObject({ field: 'httpMethod' });
    expect(invalid({ httpMethod: 'GET', body: {} })).toMatchObject({ field: 'body' });
    expect(invalid({ httpMethod: 'GET', path: [] })).toMatchObject({ field: 'path' });
  });

  it('answers in the integration response shape', () => {
    const reply = { statusCode: 400, headers: { 'content-type': 'application/json' }, body: '{"field":"x"}' };
    expect(tencentHttpResponse(reply)).toStrictEqual({ isBase64Encoded: false, ...reply });
  });

  it('throws nothing but InvalidEventError, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        const request = parsedOrInvalid(() => parseTencentHttp(event));
        if (request === undefined) return;
        expect(request.method).toMatch(/^[A-Z]+$/);
        for (const value of Object.values(request.headers)) expect(typeof value).toBe('string');
      }),
      FUZZ_RUNS,
    );
  });
});
