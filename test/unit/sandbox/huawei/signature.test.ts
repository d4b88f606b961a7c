import { createHash } from 'node:crypto';
import { stringify } from 'node:querystring';
import { GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  canonicalUri,
  parseAuthorization,
  parseSdkDate,
  signature,
  urlEncode,
} from '../../../../sandbox/huawei/signature';

interface Case {
  name: string;
  method: string;
  path: string;
  query?: Record<string, string | string[] | number | boolean>;
  data?: unknown;
  headers?: Record<string, string>;
}

/** Signs with the SDK, then recomputes from what a server would receive (lower-cased headers, raw path/query). */
function sdkVersusSandbox(c: Case) {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...c.headers };
  const signed = AKSKSigner.sign(
    {
      endpoint: `http://127.0.0.1:8080${c.path}`,
      method: c.method,
      headers,
      queryParams: c.query ?? {},
      data: c.data,
    },
    new GlobalCredentials().withAk('AK').withSk('secret-key'),
  ) as Record<string, string>;
  const received = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toLowerCase(), v]));
  const auth = parseAuthorization(received.authorization);
  if (!auth) throw new Error('SDK produced an unparseable Authorization header');
  const body = c.data === undefined ? '' : JSON.stringify(c.data);
  const ours = signature('secret-key', {
    method: c.method,
    rawPath: c.path,
    rawQuery: stringify(c.query ?? {}),
    headers: received,
    signedHeaders: auth.signedHeaders,
    payloadHash: createHash('sha256').update(body).digest('hex'),
    sdkDate: received['x-sdk-date'] ?? '',
  });
  return { sdk: auth.signature, ours, auth };
}

describe('huawei SDK-HMAC-SHA256', () => {
  const cases: Case[] = [
    {
      name: 'the seed call with a token',
      method: 'POST',
      path: '/v5/policies/p-1/detach-agency',
      data: { agency_id: 'ag-1' },
      headers: { 'X-Security-Token': 'tok' },
    },
    { name: 'a GET without body or query', method: 'GET', path: '/v5/policies' },
    {
      name: 'a GET with paging query',
      method: 'GET',
      path: '/v5/agencies/ag-1/attached-policies',
      query: { limit: 2, marker: 'YWZ0ZXI6cC0w+/=' },
    },
    {
      name: 'repeated keys, reserved and non-ASCII characters',
      method: 'GET',
      path: '/v5/policies',
      query: { z: ['b', 'a'], path_prefix: 'team a/ü/', only_attached: true, "x!'()*": 'v' },
    },
    {
      name: 'a non-ASCII JSON body',
      method: 'POST',
      path: '/v5/policies/p-1/attach-agency',
      data: { agency_id: 'å' },
    },
  ];

  it.each(cases)('recomputes the signature of $name', (c) => {
    const { sdk, ours } = sdkVersusSandbox(c);
    expect(ours).toBe(sdk);
  });

  it('signs content-type, host, x-sdk-date and the token, in that order', () => {
    const { auth } = sdkVersusSandbox(cases[0] as Case);
    expect(auth).toMatchObject({
      accessKeyId: 'AK',
      signedHeaders: ['content-type', 'host', 'x-sdk-date', 'x-security-token'],
    });
  });

  it('differs as soon as the query or the body differs from what was signed', () => {
    const signedQuery = sdkVersusSandbox(cases[2] as Case).sdk;
    expect(sdkVersusSandbox({ ...(cases[2] as Case), query: { limit: 3 } }).ours).not.toBe(signedQuery);
    const signedBody = sdkVersusSandbox(cases[0] as Case).sdk;
    expect(sdkVersusSandbox({ ...(cases[0] as Case), data: { agency_id: 'ag-2' } }).ours).not.toBe(
      signedBody,
    );
  });

  it('encodes like the signer: unreserved kept, the rest as upper-case UTF-8 escapes', () => {
    expect(urlEncode('aZ9-_.~')).toBe('aZ9-_.~');
    expect(urlEncode("a b/+*!'()é")).toBe('a%20b%2F%2B%2A%21%27%28%29%C3%A9');
    expect(canonicalUri('/v5/policies/p-1/detach-agency')).toBe('/v5/policies/p-1/detach-agency/');
    expect(canonicalUri('/v5/a%20b')).toBe('/v5/a%2520b/');
    expect(canonicalQuery('b=2&a=1&b=1&c')).toBe('a=1&b=1&b=2&c=');
  });

  it('parses the Authorization header and X-Sdk-Date strictly', () => {
    expect(
      parseAuthorization('SDK-HMAC-SHA256 Access=k, SignedHeaders=Host;X-Sdk-Date, Signature=ab'),
    ).toEqual({
      accessKeyId: 'k',
      signedHeaders: ['host', 'x-sdk-date'],
      signature: 'ab',
    });
    expect(parseAuthorization('ACS3-HMAC-SHA256 Credential=k')).toBeUndefined();
    expect(parseAuthorization('SDK-HMAC-SHA256 Access=k, Signature=ab')).toBeUndefined();
    expect(parseSdkDate('20261121T054142Z')?.toISOString()).toBe('2026-11-21T05:41:42.000Z');
    expect(parseSdkDate('20261332T054142Z')).toBeUndefined();
    expect(parseSdkDate('2026-11-21T05:41:42Z')).toBeUndefined();
  });
});
