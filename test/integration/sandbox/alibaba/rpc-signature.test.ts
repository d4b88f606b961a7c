import RPCClient from '@alicloud/pop-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { rpcSignedQuery } from '../../../../sandbox/alibaba/rpc-signature';
import { useSandbox } from '../../../helpers/sandbox';
import { ACCOUNT, alibabaWorld, PAGED_USERS, STS_KEY } from './world';

/**
 * The classic RPC signature (HMAC-SHA1 in the query or form body) as `@alicloud/pop-core` sends it,
 * the way the aliyun CLI and older SDKs call Resource Manager.
 */
const sandbox = useSandbox(alibabaWorld);
beforeEach(() => sandbox.current.reset());

interface PopError extends Error {
  code?: string;
  data?: { Code?: string; Message?: string };
}

function popClient(creds: { accessKeyId?: string; secret?: string; token?: string } = {}): RPCClient {
  return new RPCClient({
    accessKeyId: creds.accessKeyId ?? 'sandbox',
    accessKeySecret: creds.secret ?? 'sandbox-secret',
    ...(creds.token ? { securityToken: creds.token } : {}),
    endpoint: sandbox.current.url,
    apiVersion: '2020-03-31',
  });
}

/** The Code of a raw answer. */
async function codeOf(answer: Response): Promise<string | undefined> {
  return ((await answer.json()) as { Code?: string }).Code;
}

async function popFailure(call: Promise<unknown>): Promise<PopError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e as PopError,
  );
  if (!error) throw new Error('the call succeeded');
  return error;
}

const ATTACHMENT = {
  ResourceGroupId: 'rg-prod',
  PolicyType: 'System',
  PolicyName: 'ReadOnlyAccess',
  PrincipalType: 'IMSUser',
  PrincipalName: PAGED_USERS[0] as string,
};

describe('alibaba sandbox: classic RPC signature (pop-core, HMAC-SHA1)', () => {
  it('answers a GET signed in the query and a form POST, and applies the detach', async () => {
    const listed = (await popClient().request('ListResourceGroups', {})) as {
      ResourceGroups: { ResourceGroup: { Id: string }[] };
    };
    expect(listed.ResourceGroups.ResourceGroup.map((g) => g.Id)).toContain('rg-prod');
    const detached = (await popClient().request('DetachPolicy', ATTACHMENT, { method: 'POST' })) as {
      RequestId: string;
    };
    expect(detached.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    const [call] = sandbox.current.calls.list({ action: 'DetachPolicy' });
    expect(call).toMatchObject({ applied: true, account: ACCOUNT, accessKeyId: 'sandbox' });
    // The audit record keeps the call's parameters, never the credentials or the signature.
    expect(call?.params).toEqual(ATTACHMENT);
  });

  it('answers the vendor codes: a missing policy, a wrong secret, an unknown key', async () => {
    const gone = await popFailure(
      popClient().request('DetachPolicy', { ...ATTACHMENT, PolicyName: 'NoSuchPolicy' }),
    );
    expect(gone.code).toBe('EntityNotExist.Policy');
    const wrong = await popFailure(popClient({ secret: 'wrong' }).request('ListResourceGroups', {}));
    expect([wrong.code, wrong.data?.Message]).toEqual([
      'SignatureDoesNotMatch',
      'Specified signature is not matched with our calculation.',
    ]);
    const unknown = await popFailure(popClient({ accessKeyId: 'nobody' }).request('ListResourceGroups', {}));
    expect(unknown.code).toBe('InvalidAccessKeyId.NotFound');
    expect(sandbox.current.calls.totals().applied).toBe(0);
  });

  it('takes STS keys with their own SecurityToken only', async () => {
    await expect(popClient(STS_KEY).request('ListResourceGroups', {})).resolves.toBeDefined();
    const missing = await popFailure(
      popClient({ ...STS_KEY, token: undefined }).request('ListResourceGroups', {}),
    );
    expect(missing.code).toBe('MissingSecurityToken');
    const other = await popFailure(
      popClient({ ...STS_KEY, token: 'someone-elses' }).request('ListResourceGroups', {}),
    );
    expect(other.code).toBe('InvalidSecurityToken.MismatchWithAccessKey');
  });

  it('refuses a replayed nonce, an expired timestamp and a request changed after signing', async () => {
    const url = sandbox.current.url;
    const signed = rpcSignedQuery({
      method: 'GET',
      params: { Action: 'ListResourceGroups', Version: '2020-03-31', Format: 'JSON' },
      accessKeyId: 'sandbox',
      secret: 'sandbox-secret',
    });
    const first = await fetch(`${url}/?${signed}`);
    expect(first.status).toBe(200);
    expect(await codeOf(await fetch(`${url}/?${signed}`))).toBe('SignatureNonceUsed');

    const old = rpcSignedQuery({
      method: 'GET',
      params: { Action: 'ListResourceGroups', Version: '2020-03-31' },
      accessKeyId: 'sandbox',
      secret: 'sandbox-secret',
      now: new Date(Date.now() - 20 * 60_000),
    });
    expect(await codeOf(await fetch(`${url}/?${old}`))).toBe('InvalidTimeStamp.Expired');

    const tampered = rpcSignedQuery({
      method: 'GET',
      params: { Action: 'ListResourceGroups', Version: '2020-03-31' },
      accessKeyId: 'sandbox',
      secret: 'sandbox-secret',
    }).replace('Action=ListResourceGroups', 'Action=ListPolicies');
    const answer = await fetch(`${url}/?${tampered}`);
    expect([answer.status, await codeOf(answer)]).toEqual([400, 'SignatureDoesNotMatch']);
  });
});
