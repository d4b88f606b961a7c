import { createHash } from 'node:crypto';
import FCClient from '@alicloud/fc2';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fcAuthorization,
  fcContentMd5,
  fcStringToSign,
  parseFcAuthorization,
  rfcContentMd5,
} from '../../../../../sandbox/alibaba/fc/signature';

/** fc2's own string-to-sign, the reference the sandbox must agree with. */
const fc2Helper = require('@alicloud/fc2/lib/helper') as {
  composeStringToSign(
    method: string,
    path: string,
    headers: Record<string, string>,
    queries?: Record<string, string | string[]> | null,
  ): string;
};

// What fc2 2.6.6 sent for invokeFunction('svc', 'fn', Buffer.from('{"a":1}')), captured on a raw HTTP server.
const CAPTURED = {
  path: '/2016-08-15/services/svc/functions/fn/invocations',
  headers: {
    accept: 'application/json',
    date: 'Sat, 21 Nov 2026 06:21:08 GMT',
    host: '127.0.0.1',
    'user-agent': 'Node.js(v20.20.2) OS(linux/x64) SDK(@alicloud/fc2@v2.6.6)',
    'x-fc-account-id': '1234567890123456',
    'content-type': 'application/octet-stream',
    'content-length': '7',
    'content-md5': 'YmI2Y2I1YzY4ZGY0NjUyOTQxY2FmNjUyYTM2NmYyZDg=',
  },
  authorization: 'FC sandbox:5cekTI45uu7UL72nvlaeDI6ejkSXGRSOael9GgKjO5c=',
};

describe('Function Compute FC signature (as @alicloud/fc2 signs)', () => {
  it('reproduces a captured fc2 request exactly', () => {
    const text = fcStringToSign('POST', CAPTURED.path, CAPTURED.headers);
    expect(text).toBe(
      'POST\nYmI2Y2I1YzY4ZGY0NjUyOTQxY2FmNjUyYTM2NmYyZDg=\napplication/octet-stream\nSat, 21 Nov 2026 06:21:08 GMT\n' +
        `x-fc-account-id:1234567890123456\n${CAPTURED.path}`,
    );
    expect(fcAuthorization('sandbox', 'sandbox-secret', text)).toBe(CAPTURED.authorization);
    expect(fcContentMd5(Buffer.from('{"a":1}'))).toBe(CAPTURED.headers['content-md5']);
  });

  it('signs the x-fc-* headers sorted, with the token, and leaves empty lines for absent body headers', () => {
    const headers = {
      date: 'Sat, 21 Nov 2026 06:21:08 GMT',
      'x-fc-security-token': 'tok',
      'x-fc-account-id': '1234567890123456',
      'x-fc-invocation-type': 'Sync',
      host: 'ignored',
    };
    const text = fcStringToSign('POST', '/2016-08-15/services/s/functions/f/invocations', headers);
    expect(text).toBe(
      'POST\n\n\nSat, 21 Nov 2026 06:21:08 GMT\nx-fc-account-id:1234567890123456\nx-fc-invocation-type:Sync\n' +
        'x-fc-security-token:tok\n/2016-08-15/services/s/functions/f/invocations',
    );
    expect(text).toBe(
      fc2Helper.composeStringToSign('POST', '/2016-08-15/services/s/functions/f/invocations', headers),
    );
  });

  it('appends sorted query lines when queries are signed (fc2 does so for /proxy/ paths)', () => {
    const headers = { date: 'd', 'x-fc-account-id': '1' };
    const queries = { b: '2', a: ['3', '1'] };
    const text = fcStringToSign('GET', '/2016-08-15/proxy/s/f/', headers, queries);
    expect(text).toBe('GET\n\n\nd\nx-fc-account-id:1\n/2016-08-15/proxy/s/f/\na=1\na=3\nb=2');
    expect(text).toBe(fc2Helper.composeStringToSign('GET', '/2016-08-15/proxy/s/f/', headers, queries));
  });

  it('agrees with fc2 on any headers, method, path and secret', () => {
    const token = fc.stringMatching(/^[A-Za-z0-9+/=._-]{0,40}$/);
    const headers = fc.dictionary(
      fc.oneof(
        fc.constantFrom('content-md5', 'content-type', 'date', 'host'),
        fc.stringMatching(/^x-fc-[a-z-]{1,12}$/),
      ),
      token,
    );
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        fc.stringMatching(/^\/2016-08-15\/[A-Za-z0-9/_.-]{0,60}$/),
        headers,
        fc.string({ minLength: 1, maxLength: 40 }),
        (method, path, h, secret) => {
          const reference = FCClient.getSignature('AK', secret, method, path, { date: 'x', ...h });
          expect(fcAuthorization('AK', secret, fcStringToSign(method, path, { date: 'x', ...h }))).toBe(
            reference,
          );
        },
      ),
    );
  });

  it('reads header names case-insensitively, as they arrive lower-cased on the server', () => {
    const lower = fcStringToSign('POST', '/p', { date: 'd', 'x-fc-account-id': '1', 'content-type': 't' });
    const mixed = fcStringToSign('POST', '/p', { Date: 'd', 'X-Fc-Account-Id': '1', 'Content-Type': 't' });
    expect(mixed).toBe(lower);
  });

  it("computes fc2's Content-MD5 (base64 of the hex digest) and the RFC 1864 form", () => {
    const body = Buffer.from('{"requests":[]}');
    const hex = createHash('md5').update(body).digest('hex');
    expect(fcContentMd5(body)).toBe(Buffer.from(hex).toString('base64'));
    expect(rfcContentMd5(body)).toBe(createHash('md5').update(body).digest('base64'));
    expect(fcContentMd5(body)).not.toBe(rfcContentMd5(body));
  });

  it('parses the Authorization header and refuses other schemes', () => {
    expect(parseFcAuthorization(CAPTURED.authorization)).toEqual({
      accessKeyId: 'sandbox',
      signature: '5cekTI45uu7UL72nvlaeDI6ejkSXGRSOael9GgKjO5c=',
    });
    expect(parseFcAuthorization('FC STS.abc-1:AAAA')).toEqual({
      accessKeyId: 'STS.abc-1',
      signature: 'AAAA',
    });
    for (const bad of [
      'ACS3-HMAC-SHA256 Credential=x,SignedHeaders=y,Signature=z',
      'FC sandbox',
      'FC :abc=',
      'FC a:b:c',
      'fc sandbox:abc=',
      'FC sandbox:not base64!',
    ])
      expect(parseFcAuthorization(bad), bad).toBeUndefined();
  });
});
