import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alibabaHttpResponse, parseAlibabaHttp } from '../../../shared/events/alibaba/http';
import { InvalidEventError } from '../../../shared/events/types';
import { FUZZ_RUNS, fixture, fixtureText, fuzzInputs, parsedOrInvalid } from './helpers';

const FIXTURES = ['alibaba/http-trigger-fc3.vendor.json', 'alibaba/http-trigger-fc3-base64-post.json'];

function invalid(event: unknown): InvalidEventError {
  try {
    parseAlibabaHttp(event);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('expected an InvalidEventError');
}

/** The base64 sample with its request context edited. */
function withHttp(edit: Record<string, unknown>, rawPath?: string): unknown {
  const event = JSON.parse(fixtureText('alibaba/http-trigger-fc3-base64-post.json'));
  Object.assign(event.requestContext.http, edit);
  if (rawPath !== undefined) event.rawPath = rawPath;
  return event;
}

describe('parseAlibabaHttp', () => {
  it('reads the FC 3.0 sample as an object, a string or the Buffer FC hands over', () => {
    const expected = {
      method: 'GET',
      path: '/example',
      headers: { header1: 'value1', header2: 'value1,value2' },
      body: 'Hello FC!',
    };
    const text = fixtureText('alibaba/http-trigger-fc3.vendor.json');
    expect(parseAlibabaHttp(fixture('alibaba/http-trigger-fc3.vendor.json'))).toEqual(expected);
    expect(parseAlibabaHttp(text)).toEqual(expected);
    expect(parseAlibabaHttp(Buffer.from(text))).toEqual(expected);
  });

  it('decodes a base64 body, lower-cases header names, joins list values, upper-cases the method', () => {
    expect(parseAlibabaHttp(fixture('alibaba/http-trigger-fc3-base64-post.json'))).toEqual({
      method: 'POST',
      path: '/invoke now',
      headers: {
        'content-type': 'application/json',
        'x-remediate-signature': 't=1763625600,v1=00ff',
        accept: 'application/json,text/plain',
      },
      body: '{"requests":[{"provider":"alibaba","operation":"delete-policy","policyName":"LegacyBroadAccess"}],"dryRun":true}',
    });
  });

  it('falls back on the URL-decoded rawPath, keeping a malformed one as sent', () => {
    expect(parseAlibabaHttp(withHttp({ path: undefined })).path).toBe('/invoke now');
    expect(parseAlibabaHttp(withHttp({ path: undefined }, '/a%E0%A4%A')).path).toBe('/a%E0%A4%A');
    expect(parseAlibabaHttp(withHttp({ path: undefined }, '')).path).toBe('/');
  });

  it('throws InvalidEventError naming the field when the event is not an FC HTTP event', () => {
    expect(invalid(Buffer.from('{"version":'))).toMatchObject({ field: 'event' });
    expect(invalid({ version: 'v1' })).toMatchObject({ field: 'requestContext' });
    expect(invalid(withHttp({ method: 'GE T' }))).toMatchObject({ field: 'requestContext.http.method' });
    expect(
      invalid({ ...(fixture('alibaba/http-trigger-fc3.vendor.json') as object), body: 5 }),
    ).toMatchObject({
      field: 'body',
    });
    expect(
      invalid({ ...(fixture('alibaba/http-trigger-fc3.vendor.json') as object), headers: 'x' }),
    ).toMatchObject({
      field: 'headers',
    });
  });

  it('answers in the HTTPTriggerResponse shape', () => {
    const reply = { statusCode: 409, headers: { 'retry-after': '2' }, body: '{"error":"claimed"}' };
    expect(alibabaHttpResponse(reply)).toStrictEqual({ ...reply, isBase64Encoded: false });
  });

  it('throws nothing but InvalidEventError, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        const request = parsedOrInvalid(() => parseAlibabaHttp(event));
        if (request === undefined) return;
        expect(typeof request.body).toBe('string');
        for (const [name, value] of Object.entries(request.headers)) {
          expect(name).toBe(name.toLowerCase());
          expect(typeof value).toBe('string');
        }
      }),
      FUZZ_RUNS,
    );
  });
});
