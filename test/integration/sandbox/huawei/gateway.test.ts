import { ListPoliciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListPoliciesV5Request';
import { ListUsersV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListUsersV5Request';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestCredentials } from '../../../../local/sdk-clients';
import { parseFaultSpec } from '../../../../sandbox/faults';
import { formatSdkDate } from '../../../../sandbox/huawei/signature';
import { useSandbox } from '../../../helpers/sandbox';
import { failure, quietHuaweiClient, signedCall } from './sdk';
import { huaweiWorld, KEYS } from './world';

const sandbox = useSandbox(huaweiWorld);

const listPolicies = (creds: TestCredentials = {}, timeoutMs?: number) =>
  quietHuaweiClient(sandbox.current.url, creds, { timeoutMs }).listPoliciesV5(
    new ListPoliciesV5Request().withLimit(1),
  );

const AUTH = 'Incorrect IAM authentication information';
const detachPath = '/v5/policies/p-full/detach-agency';
const minutesAgo = (m: number) => formatSdkDate(new Date(Date.now() - m * 60_000));

afterEach(() => sandbox.current.reset());

describe('huawei gateway authentication (APIGW.0301, 401)', () => {
  it('accepts the default key and records the caller', async () => {
    expect(await listPolicies()).toMatchObject({ httpStatusCode: 200, page_info: { current_count: 1 } });
    expect(sandbox.current.calls.list().at(-1)).toMatchObject({
      accessKeyId: 'sandbox',
      httpStatus: 200,
    });
  });

  it('refuses a wrong secret and a header changed after signing', async () => {
    expect(await failure(listPolicies({ secret: 'not-the-secret' }))).toMatchObject({
      name: 'ClientRequestException',
      httpStatusCode: 401,
      errorCode: 'APIGW.0301',
      errorMsg: `${AUTH}: verify aksk signature fail`,
    });
    const forged = await signedCall(sandbox.current.url, {
      method: 'POST',
      path: detachPath,
      json: { agency_id: 'ag-ci' },
      tamper: (h) => {
        h['content-type'] = 'application/json;charset=utf8';
      },
    });
    expect(forged).toMatchObject({ status: 401, body: { error_code: 'APIGW.0301' } });
    expect(
      sandbox.current.world.huawei.accounts[huaweiWorld().huawei.defaultAccount]?.attachments,
    ).toHaveLength(8);
  });

  it('refuses an unknown access key and a request with no Authorization at all', async () => {
    expect(await failure(listPolicies({ accessKeyId: 'nobody' }))).toMatchObject({
      httpStatusCode: 401,
      errorCode: 'APIGW.0301',
      errorMsg: `${AUTH}: Get secretKey failed,ak:nobody,err:ak not exist`,
    });
    const unsigned = await fetch(`${sandbox.current.url}/v5/policies`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({
      error_code: 'APIGW.0301',
      error_msg: `${AUTH}: x-auth-token not found`,
    });
  });

  it('an agency token (X-Auth-Token) without X-User-Profile: IAM v5 answers PAP5.0046', async () => {
    const agencyToken = await fetch(`${sandbox.current.url}/v5/policies`, {
      headers: { 'x-auth-token': 'MIIagency-token' },
    });
    expect(agencyToken.status).toBe(403);
    expect(await agencyToken.json()).toMatchObject({
      error_code: 'PAP5.0046',
      error_msg: 'missing x-user-profile',
    });
    // With the profile the sandbox still cannot verify a token: the gateway's token failure.
    const profiled = await fetch(`${sandbox.current.url}/v5/policies`, {
      headers: { 'x-auth-token': 'MIIagency-token', 'x-user-profile': 'p' },
    });
    expect([profiled.status, ((await profiled.json()) as { error_code?: string }).error_code]).toEqual([
      401,
      'APIGW.0301',
    ]);
  });

  it('accepts a temporary key with its token; refuses it without or with another token', async () => {
    expect(await listPolicies(KEYS.temporary)).toMatchObject({ httpStatusCode: 200 });
    expect(await failure(listPolicies({ ...KEYS.temporary, token: undefined }))).toMatchObject({
      httpStatusCode: 401,
      errorCode: 'APIGW.0301',
      errorMsg: `${AUTH}: x-security-token not found`,
    });
    expect(await failure(listPolicies({ ...KEYS.temporary, token: 'stolen-token' }))).toMatchObject({
      httpStatusCode: 401,
      errorCode: 'APIGW.0301',
      errorMsg: `${AUTH}: decrypt token fail`,
    });
  });

  it('refuses a security token on a permanent key', async () => {
    expect(await failure(listPolicies({ token: 'any-token' }))).toMatchObject({
      httpStatusCode: 401,
      errorMsg: `${AUTH}: decrypt token fail`,
    });
  });

  it('refuses an X-Sdk-Date more than 15 minutes off, either way; accepts 14 minutes', async () => {
    const call = (sdkDate: string) =>
      signedCall(sandbox.current.url, { method: 'GET', path: '/v5/policies', sdkDate });
    const old = await call(minutesAgo(16));
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({
      error_code: 'APIGW.0301',
      error_msg: expect.stringMatching(
        /^Incorrect IAM authentication information: verify aksk signature fail, signature expired/,
      ),
    });
    expect((await call(minutesAgo(-16))).status).toBe(401);
    expect((await call(minutesAgo(14))).status).toBe(200);
  });
});

describe('huawei gateway routing, limits and faults', () => {
  it('answers APIGW.0101 for an API the sandbox does not serve, in both documented wordings', async () => {
    const unknown = await failure(
      quietHuaweiClient(sandbox.current.url).listUsersV5(new ListUsersV5Request()),
    );
    expect(unknown).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'APIGW.0101',
      errorMsg: 'The API does not exist or has not been published in the environment.',
    });
    const wrongMethod = await signedCall(sandbox.current.url, { method: 'DELETE', path: detachPath });
    expect(wrongMethod).toMatchObject({
      status: 404,
      body: { error_code: 'APIGW.0101', error_msg: 'The API does not exist.' },
    });
  });

  it('throttles past the configured rate with 429 APIGW.0308', async () => {
    sandbox.current.replaceWorld({ ...huaweiWorld(), limits: { 'huawei:ListPoliciesV5': 2 } });
    await listPolicies();
    await listPolicies();
    expect(await failure(listPolicies())).toMatchObject({
      name: 'ClientRequestException',
      httpStatusCode: 429,
      errorCode: 'APIGW.0308',
      errorMsg: expect.stringMatching(/^The throttling threshold has been reached/),
    });
  });

  it('injects a 5xx as 502 APIGW.0201, a busy as 409 IAM.0005, a throttle as 429', async () => {
    sandbox.current.faults.set(parseFaultSpec('5xx=1'));
    expect(await failure(listPolicies())).toMatchObject({
      name: 'ServerResponseException',
      httpStatusCode: 502,
      errorCode: 'APIGW.0201',
      errorMsg: 'Backend unavailable.',
    });
    sandbox.current.faults.set(parseFaultSpec('busy=1'));
    expect(await failure(listPolicies())).toMatchObject({ httpStatusCode: 409, errorCode: 'IAM.0005' });
    sandbox.current.faults.set(parseFaultSpec('throttle=1'));
    expect(await failure(listPolicies())).toMatchObject({ httpStatusCode: 429, errorCode: 'APIGW.0308' });
    sandbox.current.reset();
    expect(await listPolicies()).toMatchObject({ httpStatusCode: 200 });
  });

  it('surfaces a dropped connection and a time-out with no status and no code', async () => {
    sandbox.current.faults.set(parseFaultSpec('drop=1'));
    expect(await failure(listPolicies())).toMatchObject({
      name: 'ServiceResponseException',
      httpStatusCode: undefined,
      errorCode: undefined,
      errorMsg: 'socket hang up',
    });
    // One endpoint configured: the SDK does not retry (it only fails over to a second endpoint).
    expect(sandbox.current.calls.list({ action: 'ListPoliciesV5' })).toHaveLength(1);
    sandbox.current.faults.set(parseFaultSpec('hang=1,hang-ms=2000'));
    expect(await failure(listPolicies({}, 200))).toMatchObject({
      name: 'ServiceResponseException',
      httpStatusCode: undefined,
      errorMsg: 'timeout of 200ms exceeded',
    });
  });

  it('refuses a denied action with 403 PAP5.0001 even on a list', async () => {
    sandbox.current.replaceWorld({
      ...huaweiWorld(),
      keys: [{ cloud: 'huawei', accessKeyId: 'no-list', secret: 's', deny: ['ListPoliciesV5'] }],
    });
    expect(await failure(listPolicies({ accessKeyId: 'no-list', secret: 's' }))).toMatchObject({
      httpStatusCode: 403,
      errorCode: 'PAP5.0001',
      encodedAuthorizationMessage: expect.any(String),
    });
  });
});
