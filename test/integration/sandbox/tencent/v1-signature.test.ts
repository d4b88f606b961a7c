import { beforeEach, describe, expect, it } from 'vitest';
import { type TencentSigning, tencentClient } from '../../../../local/sdk-clients';
import { v1SignedParams } from '../../../../sandbox/tencent/v1-signature';
import { useSandbox } from '../../../helpers/sandbox';
import { expectTencentError, failureOf } from './helpers';
import { NODE, POLICY, STS, tencentWorld } from './world';

/**
 * API 3.0's older signatures (v1: HmacSHA1 / HmacSHA256, every common parameter beside the action's
 * own in the query or form body), as tencentcloud-sdk-nodejs sends them with `profile.signMethod`.
 */
const sandbox = useSandbox(tencentWorld);
beforeEach(() => sandbox.current.reset());

const SIGNINGS: TencentSigning[] = [
  { signMethod: 'HmacSHA1' },
  { signMethod: 'HmacSHA256' },
  { signMethod: 'HmacSHA256', reqMethod: 'GET' },
];

interface Envelope {
  Response: { Error?: { Code: string }; [field: string]: unknown };
}

async function rawV1(query: string, method: 'GET' | 'POST' = 'GET'): Promise<Envelope> {
  const url = sandbox.current.url;
  const answer =
    method === 'GET'
      ? await fetch(`${url}/?${query}`)
      : await fetch(`${url}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: query,
        });
  expect(answer.status).toBe(200);
  return (await answer.json()) as Envelope;
}

describe.each(SIGNINGS)('tencent sandbox: v1 signature %o', (signing) => {
  const client = (creds = {}) => tencentClient(sandbox.current.url, creds, signing);

  it('answers the SDK, applies a detach and records only the action parameters', async () => {
    const list = await client().ListPoliciesForTarget({ TargetId: NODE.production, Rp: 50, Page: 1 });
    expect(list.List?.map((p) => p.StrategyId)).toContain(POLICY.denyCam);
    await client().DetachPolicy({
      TargetId: NODE.production,
      TargetType: 'NODE',
      PolicyId: POLICY.denyCam,
      Type: 'SERVICE_CONTROL_POLICY',
    });
    const [call] = sandbox.current.calls.list({ action: 'DetachPolicy' });
    expect(call).toMatchObject({ applied: true, accessKeyId: 'sandbox' });
    expect(call?.params).toEqual({
      TargetId: String(NODE.production),
      TargetType: 'NODE',
      PolicyId: String(POLICY.denyCam),
      Type: 'SERVICE_CONTROL_POLICY',
    });
  });

  it('answers the vendor codes: wrong secret, unknown SecretId, a missing node', async () => {
    await expectTencentError(
      sandbox.current,
      client({ secret: 'not-the-secret' }).ListPolicies({}),
      'AuthFailure.SignatureFailure',
      /credentials could not be validated/,
    );
    await expectTencentError(
      sandbox.current,
      client({ accessKeyId: 'nobody' }).ListPolicies({}),
      'AuthFailure.SecretIdNotFound',
      /SecretId is not found/,
    );
    const gone = await failureOf(
      client().DetachPolicy({ TargetId: 999_999, TargetType: 'NODE', PolicyId: POLICY.denyCam }),
    );
    expect(gone.code).toBe('ResourceNotFound.OrganizationNodeNotExist');
    expect(sandbox.current.calls.totals().applied).toBe(0);
  });

  it('takes STS keys with their own Token only', async () => {
    await expect(client(STS).ListPolicies({})).resolves.toBeDefined();
    const missing = await failureOf(client({ ...STS, token: undefined }).ListPolicies({}));
    expect(missing.code).toBe('AuthFailure.TokenFailure');
    const other = await failureOf(client({ ...STS, token: 'another' }).ListPolicies({}));
    expect(other.code).toBe('AuthFailure.TokenFailure');
  });
});

describe('tencent sandbox: v1 requests built by hand', () => {
  const host = () => new URL(sandbox.current.url).host;
  const sign = (over: { timestamp?: number; nonce?: number; method?: 'GET' | 'POST' } = {}) =>
    v1SignedParams({
      method: over.method ?? 'GET',
      host: host(),
      params: { Action: 'ListPolicies', Version: '2021-03-31', Region: '' },
      secretId: 'sandbox',
      secretKey: 'sandbox-secret',
      signatureMethod: 'HmacSHA256',
      timestamp: over.timestamp ?? Math.floor(Date.now() / 1000),
      nonce: over.nonce ?? 4242,
    });

  it('refuses an expired timestamp, a replayed request and parameters changed after signing', async () => {
    const stale = await rawV1(sign({ timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(stale.Response.Error?.Code).toBe('AuthFailure.SignatureExpire');

    const signed = sign();
    expect((await rawV1(signed)).Response.Error).toBe(undefined);
    expect((await rawV1(signed)).Response.Error?.Code).toBe('AuthFailure.SignatureFailure');

    const tampered = sign({ nonce: 7 }).replace('Action=ListPolicies', 'Action=DetachPolicy');
    expect((await rawV1(tampered)).Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
  });

  it('refuses a GET signature sent as a POST (the method is signed)', async () => {
    const answer = await rawV1(sign({ method: 'GET', nonce: 9 }), 'POST');
    expect(answer.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
  });
});
