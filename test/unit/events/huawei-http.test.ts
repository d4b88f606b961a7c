import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { huaweiHttpResponse, parseHuaweiHttp } from '../../../shared/events/huawei/http';
import { InvalidEventError } from '../../../shared/events/types';
import { FUZZ_RUNS, fixture, fuzzInputs, parsedOrInvalid } from './helpers';

const FIXTURES = [
  'huawei/apig.vendor.json',
  'huawei/apig-base64.json',
  'huawei/apig-base64-flag-plain-body.json',
];

function invalid(event: unknown): InvalidEventError {
  try {
    parseHuaweiHttp(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected an InvalidEventError');
}

describe('parseHuaweiHttp', () => {
  it('reads the APIG sample', () => {
    expect(parseHuaweiHttp(fixture('huawei/apig.vendor.json'))).toEqual({
      method: 'GET',
      path: '/apig-event-template',
      headers: {
        accept: 'application/json',
        host: '50eedf92-c9ad-4ac0-827e-d7c11415d4f1.apigw.region.cloud.com',
        'x-forwarded-proto': 'https',
        'x-real-ip': '103.218.216.98',
      },
      body: '{"test":"body"}',
    });
  });

  it('decodes the base64 body APIG sends by default', () => {
    expect(parseHuaweiHttp(fixture('huawei/apig-base64.json'))).toMatchObject({
      method: 'POST',
      path: '/',
      body: '{"name": "OpenTelekomCloud"}',
    });
  });

  it('takes a body flagged base64 that is not base64 (the vendor template) as sent', () => {
    expect(parseHuaweiHttp(fixture('huawei/apig-base64-flag-plain-body.json')).body).toBe('{"test":"body"}');
  });

  it('throws InvalidEventError naming the field when the event is not an APIG event', () => {
    expect(invalid({})).toMatchObject({ field: 'httpMethod' });
    expect(invalid({ httpMethod: 'GET', headers: ['a'] })).toMatchObject({ field: 'headers' });
    expect(invalid({ httpMethod: 'GET', body: 1 })).toMatchObject({ field: 'body' });
  });

  it('answers with the four fields APIG requires', () => {
    const reply = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '[]' };
    expect(huaweiHttpResponse(reply)).toStrictEqual({ ...reply, isBase64Encoded: false });
  });

  it('throws nothing but InvalidEventError, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        const request = parsedOrInvalid(() => parseHuaweiHttp(event));
        if (request === undefined) return;
        expect(typeof request.path).toBe('string');
        for (const value of Object.values(request.headers)) expect(typeof value).toBe('string');
      }),
      FUZZ_RUNS,
    );
  });
});
