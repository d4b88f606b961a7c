import { organization } from 'tencentcloud-sdk-nodejs/tencentcloud/services/organization';
import { beforeEach, describe, expect, it } from 'vitest';
import { tencentClient } from '../../../../local/sdk-clients';
import { parseFaultSpec } from '../../../../sandbox/faults';
import { serviceOfHost, tc3Authorization, utcDate } from '../../../../sandbox/tencent/signature';
import { useSandbox } from '../../../helpers/sandbox';
import { expectTencentError, failureOf, rawTencent } from './helpers';
import { NODE, POLICY, STS, tencentWorld } from './world';

const sandbox = useSandbox(tencentWorld);
const client = (creds = {}) => tencentClient(sandbox.current.url, creds);

beforeEach(() => sandbox.current.reset());

describe('tencent sandbox: signature and credentials', () => {
  it('accepts the SDK signing with the default key and answers in the Response envelope', async () => {
    const answer = await client().ListPolicies({});
    expect(answer.TotalNum).toBe(48);
    expect(answer.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const { status, json } = await rawTencent(sandbox.current.url, { action: 'ListPolicies' });
    expect(status).toBe(200);
    expect(json.Response).toMatchObject({ TotalNum: 48, RequestId: expect.any(String) });
  });

  it('refuses a signature made with the wrong secret', async () => {
    await expectTencentError(
      sandbox.current,
      client({ secret: 'not-the-secret' }).ListPolicies({}),
      'AuthFailure.SignatureFailure',
      /credentials could not be validated/,
    );
  });

  it('refuses a body changed after signing', async () => {
    const { json } = await rawTencent(sandbox.current.url, {
      action: 'DetachPolicy',
      body: JSON.stringify({ TargetId: NODE.production, TargetType: 'NODE', PolicyId: POLICY.denyCam }),
      signed: { body: '{}' },
    });
    expect(json.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
    expect(sandbox.current.calls.totals().applied).toBe(0);
  });

  it('refuses a credential scope whose date is not the UTC date of X-TC-Timestamp', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { json } = await rawTencent(sandbox.current.url, {
      timestamp: now,
      signed: { timestamp: now - 86_400 },
    });
    expect(json.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
    // A correct signature under a credential scope that names another date or service.
    const { host } = new URL(sandbox.current.url);
    const valid = tc3Authorization('sandbox', 'sandbox-secret', {
      method: 'POST',
      path: '/',
      query: '',
      signedHeaders: ['content-type', 'host'],
      headerValues: { 'content-type': 'application/json', host: '127.0.0.1' },
      payload: '{}',
      timestamp: now,
      service: serviceOfHost(host),
    });
    const scope = `/${utcDate(now)}/127/`;
    expect(
      (await rawTencent(sandbox.current.url, { timestamp: now, authorization: valid })).json.Response.Error,
    ).toBe(undefined);
    for (const forged of [`/${utcDate(now - 86_400)}/127/`, `/${utcDate(now)}/organization/`]) {
      const answer = await rawTencent(sandbox.current.url, {
        timestamp: now,
        authorization: valid.replace(scope, forged),
      });
      expect(answer.json.Response.Error?.Code).toBe('AuthFailure.SignatureFailure');
    }
  });

  it('refuses an Authorization header that is not TC3', async () => {
    const { status, json } = await rawTencent(sandbox.current.url, { authorization: 'Bearer abc' });
    expect(status).toBe(200);
    expect(json.Response.Error).toEqual({
      Code: 'AuthFailure.InvalidAuthorization',
      Message: expect.stringMatching(/TC3-HMAC-SHA256/),
    });
  });

  it('refuses an unknown SecretId', async () => {
    await expectTencentError(
      sandbox.current,
      client({ accessKeyId: 'AKIDnobody', secret: 'x' }).ListPolicies({}),
      'AuthFailure.SecretIdNotFound',
      /SecretId is not found/,
    );
  });

  it('rejects a timestamp more than five minutes from the server clock, either way', async () => {
    const now = Math.floor(Date.now() / 1000);
    // 330 s, not 301: a second boundary crossed between this clock read and the server's must not matter.
    for (const timestamp of [now - 330, now + 330]) {
      const { status, json } = await rawTencent(sandbox.current.url, { timestamp });
      expect(status).toBe(200);
      expect(json.Response.Error?.Code).toBe('AuthFailure.SignatureExpire');
      expect(json.Response.Error?.Message).toMatch(/five minutes/);
    }
    const fresh = await rawTencent(sandbox.current.url, { timestamp: now - 280 });
    expect(fresh.json.Response.Error).toBeUndefined();
  });
});

describe('tencent sandbox: temporary credentials', () => {
  it('accepts the temporary key with its token', async () => {
    const answer = await client(STS).ListPoliciesForTarget({ TargetId: NODE.production });
    expect(answer.TotalNum).toBe(2);
  });

  it('refuses the temporary key without a token or with another token', async () => {
    await expectTencentError(
      sandbox.current,
      client({ accessKeyId: STS.accessKeyId, secret: STS.secret }).ListPolicies({}),
      'AuthFailure.TokenFailure',
      /requires X-TC-Token/,
    );
    await expectTencentError(
      sandbox.current,
      client({ ...STS, token: 'stolen' }).ListPolicies({}),
      'AuthFailure.TokenFailure',
      /does not match/,
    );
  });

  it('refuses a token sent with a permanent key', async () => {
    await expectTencentError(
      sandbox.current,
      client({ token: 'sts-token' }).ListPolicies({}),
      'AuthFailure.TokenFailure',
      /permanent SecretId/,
    );
  });
});

describe('tencent sandbox: gateway checks', () => {
  it('answers a denied action with UnauthorizedOperation and leaves the binding', async () => {
    await expectTencentError(
      sandbox.current,
      client({ accessKeyId: 'readonly', secret: 'readonly-secret' }).DetachPolicy({
        TargetId: NODE.production,
        TargetType: 'NODE',
        PolicyId: POLICY.denyCam,
      }),
      'UnauthorizedOperation',
      /not authorized to perform organization:DetachPolicy/,
    );
    const list = await client({ accessKeyId: 'readonly', secret: 'readonly-secret' }).ListPoliciesForTarget({
      TargetId: NODE.production,
    });
    expect(list.List?.map((p) => p.StrategyId)).toContain(POLICY.denyCam);
  });

  it('answers an unknown action with InvalidAction', async () => {
    await expectTencentError(
      sandbox.current,
      client().request('DescribeNothing', {}),
      'InvalidAction',
      /`DescribeNothing` does not exist/,
    );
  });

  it('answers another API version with NoSuchVersion', async () => {
    const { json } = await rawTencent(sandbox.current.url, { version: '2018-12-25' });
    expect(json.Response.Error).toEqual({
      Code: 'NoSuchVersion',
      Message: expect.stringMatching(/2018-12-25/),
    });
  });

  it('answers a body that is not a JSON object with InvalidParameter', async () => {
    for (const body of ['{"TargetId": 1', '[1, 2]']) {
      const { json } = await rawTencent(sandbox.current.url, { action: 'DetachPolicy', body });
      expect(json.Response.Error?.Code).toBe('InvalidParameter');
      expect(json.Response.Error?.Message).toMatch(/JSON/);
    }
  });

  it('answers methods other than GET and POST with UnsupportedProtocol', async () => {
    const { json } = await rawTencent(sandbox.current.url, { method: 'PUT' });
    expect(json.Response.Error?.Code).toBe('UnsupportedProtocol');
  });

  it('refuses unknown, missing and wrongly typed parameters as the gateway does', async () => {
    const detach = (request: Record<string, unknown>) =>
      client().DetachPolicy(request as unknown as Parameters<ReturnType<typeof client>['DetachPolicy']>[0]);
    const valid = { TargetId: NODE.production, TargetType: 'NODE', PolicyId: POLICY.denyCam };
    await expectTencentError(
      sandbox.current,
      detach({ ...valid, Region: 'ap-guangzhou' }),
      'UnknownParameter',
      /`Region` is not recognized/,
    );
    await expectTencentError(
      sandbox.current,
      detach({ TargetId: NODE.production, TargetType: 'NODE' }),
      'MissingParameter',
      /missing a required parameter `PolicyId`/,
    );
    for (const TargetId of [String(NODE.production), 1001.5, -1]) {
      await expectTencentError(
        sandbox.current,
        detach({ ...valid, TargetId }),
        'InvalidParameter',
        /`TargetId` is incorrect.*`Integer`/,
      );
    }
    await expectTencentError(sandbox.current, detach({ ...valid, Type: 1 }), 'InvalidParameter', /`String`/);
    expect(sandbox.current.calls.totals().applied).toBe(0);
  });

  it('serves the SDK in GET mode (parameters in the signed query string)', async () => {
    const { host } = new URL(sandbox.current.url);
    const getClient = new organization.v20210331.Client({
      credential: { secretId: 'sandbox', secretKey: 'sandbox-secret' },
      region: '',
      profile: { httpProfile: { endpoint: host, protocol: 'http://', reqMethod: 'GET', reqTimeout: 5 } },
    });
    await getClient.DetachPolicy({ TargetId: NODE.production, TargetType: 'NODE', PolicyId: POLICY.denyCam });
    const list = await getClient.ListPoliciesForTarget({ TargetId: NODE.production, Rp: 1, Page: 1 });
    expect(list).toMatchObject({ TotalNum: 1, List: [{ StrategyId: POLICY.fullAccess }] });
    const failure = await failureOf(
      getClient.DetachPolicy({ TargetId: 'x' as unknown as number, TargetType: 'NODE', PolicyId: 1 }),
    );
    expect(failure.code).toBe('InvalidParameter');
  });
});

describe('tencent sandbox: rate limits and faults', () => {
  const detachUnbound = (c: ReturnType<typeof client>, targetId: number, policyId: number) =>
    failureOf(c.DetachPolicy({ TargetId: targetId, TargetType: 'NODE', PolicyId: policyId }));

  it('throttles 25 simultaneous DetachPolicy calls of one account at the documented 20/s, per account', async () => {
    const owner = client();
    const ownerB = client({ accessKeyId: 'owner-b', secret: 'owner-b-secret' });
    const [mine, theirs, reads] = await Promise.all([
      Promise.all(Array.from({ length: 25 }, () => detachUnbound(owner, NODE.empty, POLICY.denyCam))),
      Promise.all(Array.from({ length: 5 }, () => detachUnbound(ownerB, 2000, 424242))),
      Promise.all(Array.from({ length: 30 }, () => owner.ListPolicies({ Rp: 1 }))),
    ]);
    const throttled = mine.filter((f) => f.code === 'RequestLimitExceeded');
    expect(throttled.length).toBeGreaterThanOrEqual(5);
    expect(
      mine.filter((f) => f.code === 'FailedOperation.OrganizationDetachPolicyError').length,
    ).toBeLessThanOrEqual(20);
    expect(throttled[0]?.message).toMatch(/frequency limit/);
    expect(theirs.map((f) => f.code)).toEqual(Array(5).fill('ResourceNotFound.PolicyNotExist'));
    expect(reads.every((r) => r.TotalNum === 48)).toBe(true);
  });

  it('applies limits set in the world to any action', async () => {
    const world = tencentWorld();
    sandbox.current.replaceWorld({ ...world, limits: { 'tencent:ListPolicies': 2 } });
    const results = await Promise.allSettled([1, 2, 3].map(() => client().ListPolicies({})));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(((results[2] as PromiseRejectedResult).reason as { code: string }).code).toBe(
      'RequestLimitExceeded',
    );
  });

  it('renders injected faults as InternalError, RequestLimitExceeded and ResourceUnavailable, applying nothing', async () => {
    const expected = {
      '5xx': 'InternalError',
      throttle: 'RequestLimitExceeded',
      busy: 'ResourceUnavailable',
    };
    for (const [kind, code] of Object.entries(expected)) {
      sandbox.current.faults.set(parseFaultSpec(`${kind}=1,cloud=tencent`));
      const failure = await failureOf(
        client().DetachPolicy({ TargetId: NODE.production, TargetType: 'NODE', PolicyId: POLICY.denyCam }),
      );
      expect(failure.code).toBe(code);
    }
    sandbox.current.faults.set(parseFaultSpec(''));
    const list = await client().ListPoliciesForTarget({ TargetId: NODE.production });
    expect(list.List?.map((p) => p.StrategyId)).toContain(POLICY.denyCam);
    expect(sandbox.current.calls.totals().applied).toBe(0);
  });
});
