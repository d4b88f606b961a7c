import { $OpenApiUtil } from '@alicloud/openapi-core';
import type ResourceManager from '@alicloud/resourcemanager20200331';
import {
  DetachControlPolicyRequest,
  DetachPolicyRequest,
  ListPoliciesRequest,
  ListResourceGroupsRequest,
} from '@alicloud/resourcemanager20200331';
import { afterEach, describe, expect, it } from 'vitest';
import { alibabaClient } from '../../../../local/sdk-clients';
import { NO_FAULTS, parseFaultSpec } from '../../../../sandbox/faults';
import { useSandbox } from '../../../helpers/sandbox';
import { expectAlibabaError, rawCall, sdkError } from './calls';
import { ACCOUNT, alibabaWorld, READONLY_KEY, STS_KEY } from './world';

const sandbox = useSandbox(() => ({ ...alibabaWorld(), limits: { 'alibaba:ListResourceGroups': 1 } }));
const url = () => sandbox.current.url;
const listPolicies = (client: ResourceManager) => client.listPolicies(new ListPoliciesRequest({}));

afterEach(() => sandbox.current.faults.set(NO_FAULTS));

describe('alibaba signatures and keys', () => {
  it('accepts the SDK signature, including values the URL and the signature encode differently', async () => {
    const error = await expectAlibabaError(
      alibabaClient(url()).detachPolicy(
        new DetachPolicyRequest({
          resourceGroupId: 'rg-prod',
          policyType: 'Custom',
          policyName: "a b*!'()~é",
          principalType: 'IMSUser',
          principalName: 'alice+x@corp.onaliyun.com',
        }),
      ),
      { code: 'EntityNotExist.Policy', status: 404 },
    );
    expect(error.message).toBe(
      `EntityNotExist.Policy: code: 404, The policy does not exist. request id: ${error.requestId}`,
    );
  });

  it('SignatureDoesNotMatch (400) for a wrong secret or a tampered request', async () => {
    await expectAlibabaError(listPolicies(alibabaClient(url(), { secret: 'wrong' })), {
      code: 'SignatureDoesNotMatch',
      status: 400,
      message: 'Specified signature is not matched with our calculation.',
    });
    const tampered = await rawCall(url(), {
      afterSigning: (headers) => {
        headers['x-acs-action'] = 'ListResourceGroups';
      },
    });
    expect([tampered.status, tampered.body.Code]).toEqual([400, 'SignatureDoesNotMatch']);
  });

  it('InvalidAccessKeyId.NotFound (404) for an unknown key', async () => {
    await expectAlibabaError(listPolicies(alibabaClient(url(), { accessKeyId: 'nobody' })), {
      code: 'InvalidAccessKeyId.NotFound',
      status: 404,
      message: 'Specified access key is not found.',
    });
  });

  it('IncompleteSignature (400) for a missing or partial Authorization, or an unsigned x-acs header', async () => {
    const missing = await rawCall(url(), { afterSigning: (h) => delete h.authorization });
    expect([missing.status, missing.body.Code]).toEqual([400, 'IncompleteSignature']);
    const unsigned = await rawCall(url(), { afterSigning: (h) => (h['x-acs-extra'] = '1') });
    expect([unsigned.status, unsigned.body.Code]).toEqual([400, 'IncompleteSignature']);
    const method = await rawCall(url(), {
      afterSigning: (h) =>
        (h.authorization = (h.authorization ?? '').replace('ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3')),
    });
    expect([method.status, method.body.Code]).toEqual([400, 'InvalidSignatureMethod']);
  });

  it('InvalidTimeStamp.Expired (400) beyond 15 minutes either way; InvalidTimeStamp.Format for a bad date', async () => {
    const now = Date.now();
    for (const date of [new Date(now - 16 * 60_000), new Date(now + 16 * 60_000)]) {
      const expired = await rawCall(url(), { date });
      expect(expired).toMatchObject({ status: 400, body: { Code: 'InvalidTimeStamp.Expired' } });
    }
    expect((await rawCall(url(), { date: new Date(now - 14 * 60_000) })).status).toBe(200);
    const badFormat = await rawCall(url(), { afterSigning: (h) => (h['x-acs-date'] = 'yesterday') });
    expect(badFormat.body.Code).toBe('InvalidTimeStamp.Format');
  });

  it('SignatureNonceUsed (400) for a replayed nonce, even with a fresh signature', async () => {
    expect((await rawCall(url(), { nonce: 'nonce-replay-1' })).status).toBe(200);
    const replay = await rawCall(url(), { nonce: 'nonce-replay-1' });
    expect(replay).toMatchObject({
      status: 400,
      body: { Code: 'SignatureNonceUsed', Message: 'Specified signature nonce was used already.' },
    });
    // A forged request does not burn the nonce for its owner.
    await rawCall(url(), { nonce: 'nonce-replay-2', secret: 'forger' });
    expect((await rawCall(url(), { nonce: 'nonce-replay-2' })).status).toBe(200);
  });

  it('InvalidVersion (400) for another API version', async () => {
    const response = await rawCall(url(), { version: '2016-11-11' });
    expect(response).toMatchObject({ status: 400, body: { Code: 'InvalidVersion' } });
  });
});

describe('alibaba temporary credentials', () => {
  it('accepts the right token', async () => {
    const { body } = await listPolicies(alibabaClient(url(), STS_KEY));
    expect(body?.totalCount).toBeGreaterThan(0);
  });

  it('MissingSecurityToken (400) when an STS key comes without its token', async () => {
    const { token: _none, ...noToken } = STS_KEY;
    await expectAlibabaError(listPolicies(alibabaClient(url(), noToken)), {
      code: 'MissingSecurityToken',
      status: 400,
    });
  });

  it('InvalidSecurityToken.MismatchWithAccessKey (400) for a wrong token or a token on a permanent key', async () => {
    await expectAlibabaError(listPolicies(alibabaClient(url(), { ...STS_KEY, token: 'stale' })), {
      code: 'InvalidSecurityToken.MismatchWithAccessKey',
      status: 400,
      message: 'Specified SecurityToken mismatch with the AccessKey.',
    });
    await expectAlibabaError(listPolicies(alibabaClient(url(), { token: 'sts-token-1' })), {
      code: 'InvalidSecurityToken.MismatchWithAccessKey',
      status: 400,
    });
  });
});

describe('alibaba gateway refusals', () => {
  it('NoPermission (403) for a denied action, with AccessDeniedDetail; other actions pass', async () => {
    const client = alibabaClient(url(), READONLY_KEY);
    const error = await expectAlibabaError(
      client.detachPolicy(
        new DetachPolicyRequest({
          resourceGroupId: ACCOUNT,
          policyType: 'System',
          policyName: 'AdministratorAccess',
          principalType: 'IMSUser',
          principalName: 'x',
        }),
      ),
      { code: 'NoPermission', status: 403, message: 'You are not authorized to do this action.' },
    );
    // Resource-group DetachPolicy is authorised as a RAM action (docs/sources.md, "Alibaba permissions").
    expect(error.accessDeniedDetail).toMatchObject({ AuthAction: 'ram:DetachPolicy' });
    expect((await listPolicies(client)).statusCode).toBe(200);
  });

  it('NoPermission for a control policy call names its resourcemanager: action', async () => {
    const world = sandbox.current.world;
    const key = { cloud: 'alibaba' as const, accessKeyId: 'no-rd', secret: 'no-rd-secret' };
    sandbox.current.replaceWorld({
      ...world,
      keys: [...world.keys, { ...key, deny: ['DetachControlPolicy'] }],
    });
    try {
      const error = await expectAlibabaError(
        alibabaClient(url(), key).detachControlPolicy(
          new DetachControlPolicyRequest({ policyId: 'cp-deny-regions', targetId: 'fd-prod' }),
        ),
        { code: 'NoPermission', status: 403 },
      );
      expect(error.accessDeniedDetail).toMatchObject({ AuthAction: 'resourcemanager:DetachControlPolicy' });
    } finally {
      sandbox.current.reset();
    }
  });

  it('Throttling.User past the per-account limit, as a ThrottlingError', async () => {
    const client = alibabaClient(url());
    const call = () => client.listResourceGroups(new ListResourceGroupsRequest({}));
    await call();
    const error = await expectAlibabaError(call(), {
      code: 'Throttling.User',
      status: 400,
      message: 'Request was denied due to user flow control.',
    });
    expect(error.name).toBe('ThrottlingError');
  });

  it('ServiceUnavailable (503) for an injected 5xx, as a ServerError; nothing is applied', async () => {
    sandbox.current.faults.set(parseFaultSpec('5xx=1'));
    const error = await expectAlibabaError(listPolicies(alibabaClient(url())), {
      code: 'ServiceUnavailable',
      status: 503,
    });
    expect(error.name).toBe('ServerError');
    sandbox.current.faults.set(parseFaultSpec('busy=1'));
    await expectAlibabaError(listPolicies(alibabaClient(url())), {
      code: 'Invalid.ResourceGroup.Status',
      status: 409,
    });
  });

  it('InvalidAction.NotFound (404) for an action Resource Manager does not have', async () => {
    const client = alibabaClient(url());
    const params = new $OpenApiUtil.Params({
      action: 'DescribeEverything',
      version: '2020-03-31',
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    await expectAlibabaError(
      client.callApi(
        params,
        new $OpenApiUtil.OpenApiRequest({ query: {} }),
        {} as Parameters<ResourceManager['callApi']>[2],
      ),
      { code: 'InvalidAction.NotFound', status: 404 },
    );
  });

  it('InvalidParameter (400) for a malformed body or query; a form body is read as parameters', async () => {
    const badBody = await rawCall(url(), {
      body: 'PolicyType=%E0%A4%A',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(badBody).toMatchObject({ status: 400, body: { Code: 'InvalidParameter' } });
    const badQuery = await rawCall(url(), { query: 'PolicyType=System&PolicyType=Custom' });
    expect(badQuery).toMatchObject({ status: 400, body: { Code: 'InvalidParameter' } });
    const form = await rawCall(url(), {
      body: 'PolicyType=Nope',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form).toMatchObject({ status: 400, body: { Code: 'InvalidParameter.PolicyType' } });
  });

  it('every error carries the envelope the SDK and the troubleshooter read', async () => {
    const error = await sdkError(listPolicies(alibabaClient(url(), { secret: 'wrong' })));
    expect(Object.keys(error.data).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
  });
});
