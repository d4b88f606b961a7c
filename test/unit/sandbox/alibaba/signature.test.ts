import { OpenApiUtil } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import { decodePairs } from '../../../../sandbox/alibaba/params';
import {
  acsEncode,
  authorizationFor,
  canonicalRequest,
  headersToSign,
  parseAuthorization,
  sha256Hex,
  signatureOf,
} from '../../../../sandbox/alibaba/signature';

const EMPTY_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** What the SDK itself would put in the Authorization header for these inputs. */
function sdkAuthorization(
  query: Record<string, string>,
  headers: Record<string, string>,
  secret = 'sandbox-secret',
) {
  return OpenApiUtil.getAuthorization(
    { pathname: '/', method: 'POST', query, headers } as never,
    'ACS3-HMAC-SHA256',
    EMPTY_HASH,
    'sandbox',
    secret,
  );
}

const HEADERS = {
  host: '127.0.0.1:8080',
  'x-acs-action': 'DetachPolicy',
  'x-acs-version': '2020-03-31',
  'x-acs-date': '2026-01-02T03:04:05Z',
  'x-acs-signature-nonce': 'abc',
  'x-acs-content-sha256': EMPTY_HASH,
  accept: 'application/json',
  'user-agent': 'AlibabaCloud',
};

describe('alibaba ACS3 signature', () => {
  it.each([
    [{ PolicyName: 'OSS-Administrator', ResourceGroupId: 'rg-1' }],
    [{ PolicyName: "a b*!'()~", PrincipalName: 'alice@x.onaliyun.com' }],
    [{ PolicyName: 'é中文/?&=+%', Empty: '' }],
    [{}],
  ])('matches the SDK for %j', (query) => {
    const ours = authorizationFor({
      method: 'POST',
      path: '/',
      query: Object.entries(query),
      headers: HEADERS,
      payloadHash: EMPTY_HASH,
      accessKeyId: 'sandbox',
      secret: 'sandbox-secret',
    });
    expect(ours).toBe(sdkAuthorization(query, HEADERS));
  });

  it('differs when any signed part changes', () => {
    const base = {
      method: 'POST',
      path: '/',
      query: [['A', '1']] as Array<[string, string]>,
      headers: HEADERS,
      signedHeaders: headersToSign(Object.keys(HEADERS)),
      payloadHash: EMPTY_HASH,
    };
    const signature = signatureOf('s', canonicalRequest(base));
    expect(signatureOf('s', canonicalRequest({ ...base, query: [['A', '2']] }))).not.toBe(signature);
    expect(signatureOf('s', canonicalRequest({ ...base, payloadHash: sha256Hex('x') }))).not.toBe(signature);
    expect(signatureOf('t', canonicalRequest(base))).not.toBe(signature);
  });

  it('signs host, content-type and x-acs-* only, sorted', () => {
    expect(headersToSign(['User-Agent', 'X-Acs-Date', 'host', 'Content-Type', 'accept'])).toEqual([
      'content-type',
      'host',
      'x-acs-date',
    ]);
  });

  it("encodes like the SDK: RFC 3986 with !'()* escaped", () => {
    expect(acsEncode("a b*!'()~-_.")).toBe('a%20b%2A%21%27%28%29~-_.');
  });

  it('parses the Authorization header, and rejects incomplete ones', () => {
    expect(
      parseAuthorization('ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host;x-acs-date,Signature=ab'),
    ).toEqual({
      algorithm: 'ACS3-HMAC-SHA256',
      accessKeyId: 'k',
      signedHeaders: ['host', 'x-acs-date'],
      signature: 'ab',
    });
    expect(parseAuthorization('ACS3-HMAC-SHA256 Credential=k,Signature=ab')).toBeUndefined();
    expect(parseAuthorization('garbage')).toBeUndefined();
  });
});

describe('alibaba RPC parameter decoding', () => {
  it('decodes the SDK query spelling (raw *, %20, %40) and form "+"', () => {
    expect(decodePairs('PolicyName=a%20b*&PrincipalName=alice%40x&Q=c+d&Empty=&Bare', 'query')).toEqual([
      ['PolicyName', 'a b*'],
      ['PrincipalName', 'alice@x'],
      ['Q', 'c d'],
      ['Empty', ''],
      ['Bare', ''],
    ]);
  });

  it('refuses bad percent-encoding and repeated names', () => {
    expect(() => decodePairs('A=%E0%A4%A', 'query')).toThrow(/percent-encoding/);
    expect(() => decodePairs('A=1&A=2', 'query')).toThrow(/more than once/);
  });
});
