import Sign from 'tencentcloud-sdk-nodejs/tencentcloud/common/sign';
import { describe, expect, it } from 'vitest';
import {
  parseAuthorization,
  serviceOfHost,
  type Tc3Request,
  tc3Authorization,
  utcDate,
} from '../../../../sandbox/tencent/signature';

const secretId = 'AKIDsandbox';
const secretKey = 'sandbox-secret';
// 2026-11-21T23:59:30Z: already the 22nd in Beijing, so a local-time date would be caught.
const timestamp = Date.UTC(2026, 10, 21, 23, 59, 30) / 1000;

function sdkAuthorization(
  method: 'GET' | 'POST',
  url: string,
  payload: unknown,
  contentType: string,
): string {
  return Sign.sign3({
    method,
    url,
    payload,
    timestamp,
    service: url.includes('127.0.0.1') ? '127' : 'organization',
    secretId,
    secretKey,
    multipart: false,
    boundary: '',
    headers: { 'Content-Type': contentType },
  });
}

describe('TC3-HMAC-SHA256 signer', () => {
  it('matches the SDK for a POST JSON call to a local endpoint', () => {
    const payload = { TargetId: 1, TargetType: 'NODE', PolicyId: 2 };
    const request: Tc3Request = {
      method: 'POST',
      path: '/',
      query: '',
      signedHeaders: ['content-type', 'host'],
      headerValues: { 'content-type': 'application/json', host: '127.0.0.1' },
      payload: JSON.stringify(payload),
      timestamp,
      service: '127',
    };
    const expected = sdkAuthorization('POST', 'http://127.0.0.1:4600/', payload, 'application/json');
    expect(tc3Authorization(secretId, secretKey, request)).toBe(expected);
    expect(expected).toContain(`Credential=${secretId}/2026-11-21/127/tc3_request`);
  });

  it('matches the SDK for a GET call whose parameters are in the query string', () => {
    const request: Tc3Request = {
      method: 'GET',
      path: '/',
      query: 'TargetId=1001&Rp=20',
      signedHeaders: ['content-type', 'host'],
      headerValues: {
        'content-type': 'application/x-www-form-urlencoded',
        host: 'organization.tencentcloudapi.com',
      },
      payload: '',
      timestamp,
      service: 'organization',
    };
    const expected = sdkAuthorization(
      'GET',
      'https://organization.tencentcloudapi.com/?TargetId=1001&Rp=20',
      '',
      'application/x-www-form-urlencoded',
    );
    expect(tc3Authorization(secretId, secretKey, request)).toBe(expected);
  });

  it('changes with any signed input', () => {
    const base: Tc3Request = {
      method: 'POST',
      path: '/',
      query: '',
      signedHeaders: ['content-type', 'host'],
      headerValues: { 'content-type': 'application/json', host: '127.0.0.1' },
      payload: '{}',
      timestamp,
      service: '127',
    };
    const signature = tc3Authorization(secretId, secretKey, base);
    for (const changed of [
      { ...base, payload: '{"a":1}' },
      { ...base, timestamp: timestamp + 1 },
      { ...base, service: 'organization' },
      { ...base, headerValues: { ...base.headerValues, host: '127.0.0.2' } },
    ]) {
      expect(tc3Authorization(secretId, secretKey, changed)).not.toBe(signature);
    }
    expect(tc3Authorization(secretId, 'other-secret', base)).not.toBe(signature);
  });

  it('parses the Authorization header the SDK sends and refuses anything else', () => {
    const header = sdkAuthorization('POST', 'http://127.0.0.1:4600/', {}, 'application/json');
    expect(parseAuthorization(header)).toEqual({
      secretId,
      date: '2026-11-21',
      service: '127',
      signedHeaders: ['content-type', 'host'],
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(parseAuthorization('ACS3-HMAC-SHA256 Credential=x')).toBeUndefined();
    expect(parseAuthorization(header.replace('tc3_request', 'aws4_request'))).toBeUndefined();
    expect(parseAuthorization(header.replace(/Signature=\w+/, 'Signature=zz'))).toBeUndefined();
  });

  it('derives the service and date the way the SDK does', () => {
    expect(serviceOfHost('127.0.0.1:4600')).toBe('127');
    expect(serviceOfHost('organization.tencentcloudapi.com')).toBe('organization');
    expect(serviceOfHost('localhost:4600')).toBe('localhost:4600');
    expect(utcDate(timestamp)).toBe('2026-11-21');
  });
});
