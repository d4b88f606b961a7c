import { request } from 'node:http';
import FCClient from '@alicloud/fc2';
import { ListControlPoliciesRequest } from '@alicloud/resourcemanager20200331';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { alibabaClient } from '../../../../../local/sdk-clients';
import type { FcInvocation } from '../../../../../sandbox/alibaba/fc/registry';
import {
  fcAuthorization,
  fcContentMd5,
  fcStringToSign,
  rfcContentMd5,
} from '../../../../../sandbox/alibaba/fc/signature';
import type { WorldInput } from '../../../../../sandbox/world';
import { useSandbox } from '../../../../helpers/sandbox';
import { expectAlibabaError } from '../calls';
import { ACCOUNT, alibabaWorld } from '../world';

function world(): WorldInput {
  const base = alibabaWorld();
  return {
    ...base,
    keys: [
      ...(base.keys ?? []),
      { cloud: 'alibaba', accessKeyId: 'no-invoke', secret: 'no-invoke-secret', deny: ['InvokeFunction'] },
    ],
  };
}

const sandbox = useSandbox(world);
const calls: { payload: Buffer; invocation: FcInvocation }[] = [];
const PATH = '/2016-08-15/services/svc/functions/fn/invocations';

function client(keys: { id?: string; secret?: string; token?: string } = {}) {
  return new FCClient(ACCOUNT, {
    accessKeyID: keys.id ?? 'sandbox',
    accessKeySecret: keys.secret ?? 'sandbox-secret',
    securityToken: keys.token,
    region: 'cn-hangzhou',
    endpoint: sandbox.current.url,
    timeout: 5_000,
  });
}

async function fcFailure(call: Promise<unknown>): Promise<{ name: string; code: string; message: string }> {
  try {
    await call;
  } catch (error) {
    return error as { name: string; code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

interface RawOptions {
  method?: string;
  path?: string;
  body?: string;
  date?: Date;
  accessKeyId?: string;
  secret?: string;
  headers?: Record<string, string>;
  /** Change the request after it was signed. */
  afterSigning?: (headers: Record<string, string>, body: { text: string }) => void;
}

/** A request signed by hand as fc2 signs, for what fc2 cannot be made to send. */
function raw(
  options: RawOptions = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const method = options.method ?? 'POST';
  const path = options.path ?? PATH;
  const body = { text: options.body ?? '{"hello":"fc"}' };
  const headers: Record<string, string> = {
    date: (options.date ?? new Date()).toUTCString(),
    'x-fc-account-id': ACCOUNT,
    ...options.headers,
  };
  if (body.text !== '') {
    headers['content-type'] = 'application/octet-stream';
    headers['content-md5'] ??= fcContentMd5(Buffer.from(body.text));
  }
  headers.authorization = fcAuthorization(
    options.accessKeyId ?? 'sandbox',
    options.secret ?? 'sandbox-secret',
    fcStringToSign(method, path, headers),
  );
  options.afterSigning?.(headers, body);
  const url = new URL(path, sandbox.current.url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers: { ...headers, 'content-length': Buffer.byteLength(body.text) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body.text);
  });
}

const errorOf = (reply: { body: string }) =>
  JSON.parse(reply.body) as { ErrorCode: string; ErrorMessage: string };

let undeploy: (() => void)[] = [];
beforeAll(() => {
  undeploy = [
    sandbox.current.registerFunction('svc', 'fn', async (payload, invocation) => {
      calls.push({ payload, invocation });
      return { echo: payload.toString('utf8') };
    }),
    sandbox.current.registerFunction('svc', 'text', () => 'plain text'),
    sandbox.current.registerFunction('svc', 'broken', () => {
      throw new TypeError('cannot read properties of undefined');
    }),
  ];
});
afterAll(() => {
  for (const u of undeploy) u();
});
beforeEach(() => {
  sandbox.current.reset();
  calls.length = 0;
});

describe('sandbox Function Compute: InvokeFunction as @alicloud/fc2 calls it', () => {
  it('hands the registered function the raw bytes and answers its JSON result', async () => {
    const response = await client().invokeFunction('svc', 'fn', Buffer.from('{"a":1}'));
    expect(response.data).toEqual({ echo: '{"a":1}' });
    expect(response.headers['x-fc-request-id']).toEqual(calls[0]?.invocation.requestId);
    expect(calls[0]?.invocation).toMatchObject({
      account: ACCOUNT,
      service: 'svc',
      function: 'fn',
      invocationType: 'Sync',
    });
    expect(sandbox.current.calls.list()).toMatchObject([
      { cloud: 'alibaba', action: 'InvokeFunction', mutating: false, httpStatus: 200, account: ACCOUNT },
    ]);
  });

  it('answers a string result as it is, and passes a qualifier on', async () => {
    expect((await client().invokeFunction('svc', 'text', 'x')).data).toBe('plain text');
    await client().invokeFunction('svc', 'fn', 'x', {}, 'LATEST');
    expect(calls[0]?.invocation).toMatchObject({ service: 'svc', qualifier: 'LATEST' });
  });

  it("reports the function's own error as FC does: 200 with x-fc-error-type", async () => {
    const response = await client().invokeFunction('svc', 'broken', 'x');
    expect(response.headers['x-fc-error-type']).toBe('UnhandledInvocationError');
    expect(response.data).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'cannot read properties of undefined',
    });
  });

  it('runs an Async invocation after answering 202', async () => {
    const response = await client().invokeFunction('svc', 'fn', 'later', { 'x-fc-invocation-type': 'Async' });
    expect(response.data).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.map((c) => c.invocation.invocationType)).toEqual(['Async']);
  });

  it('accepts temporary credentials with their token', async () => {
    const response = await client({
      id: 'STS.tester',
      secret: 'sts-secret',
      token: 'sts-token-1',
    }).invokeFunction('svc', 'fn', 'x');
    expect(response.data).toEqual({ echo: 'x' });
  });

  it.each([
    [
      'an unknown function',
      () => client().invokeFunction('svc', 'nope', 'x'),
      'FunctionNotFound',
      /function 'nope' does not exist in service 'svc'/,
    ],
    [
      'an unknown service',
      () => client().invokeFunction('other', 'fn', 'x'),
      'ServiceNotFound',
      /service 'other' does not exist/,
    ],
    [
      'a wrong secret',
      () => client({ secret: 'wrong' }).invokeFunction('svc', 'fn', 'x'),
      'SignatureNotMatch',
      /failed with 403/,
    ],
    [
      'an unknown key',
      () => client({ id: 'LTAI-nobody' }).invokeFunction('svc', 'fn', 'x'),
      'InvalidAccessKeyID',
      /invalid access key ID 'LTAI-nobody'/,
    ],
    [
      'a wrong token',
      () =>
        client({ id: 'STS.tester', secret: 'sts-secret', token: 'other' }).invokeFunction('svc', 'fn', 'x'),
      'AccessDenied',
      /security token/,
    ],
    [
      'a denied key',
      () => client({ id: 'no-invoke', secret: 'no-invoke-secret' }).invokeFunction('svc', 'fn', 'x'),
      'AccessDenied',
      /fc:InvokeFunction/,
    ],
  ])("refuses %s with FC's error, calling nothing", async (_, call, code, message) => {
    const error = await fcFailure(call());
    expect({ name: error.name, code: error.code }).toEqual({ name: `FC${code}Error`, code });
    expect(error.message).toMatch(message);
    expect(calls).toHaveLength(0);
  });

  it('answers in the {ErrorCode, ErrorMessage} envelope with a request id', async () => {
    const reply = await raw({ path: '/2016-08-15/services/svc/functions/nope/invocations' });
    expect(reply.status).toBe(404);
    expect(reply.headers['x-fc-request-id']).toEqual(expect.any(String));
    expect(errorOf(reply)).toEqual({
      ErrorCode: 'FunctionNotFound',
      ErrorMessage: "function 'nope' does not exist in service 'svc'",
    });
  });

  it('accepts a hand-signed request, with the RFC 1864 Content-MD5 too', async () => {
    expect((await raw()).status).toBe(200);
    const rfc = await raw({ headers: { 'content-md5': rfcContentMd5(Buffer.from('{"hello":"fc"}')) } });
    expect(rfc.status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it.each([
    [
      'a body changed after signing',
      {
        afterSigning: (_: Record<string, string>, body: { text: string }) => {
          body.text = '{"hello":"XX"}';
        },
      },
      400,
      'InvalidArgument',
      /Content-MD5/,
    ],
    [
      'a signed header changed',
      {
        afterSigning: (h: Record<string, string>) => {
          h['x-fc-account-id'] = '1000000000000002';
        },
      },
      403,
      'SignatureNotMatch',
      /signature/,
    ],
    [
      'a date 20 minutes old',
      { date: new Date(Date.now() - 20 * 60_000) },
      403,
      'AccessDenied',
      /more than 15 minutes/,
    ],
    [
      'no Date',
      {
        afterSigning: (h: Record<string, string>) => {
          delete h.date;
        },
      },
      400,
      'MissingRequiredHeader',
      /required HTTP header Date/,
    ],
    [
      'no Authorization',
      {
        afterSigning: (h: Record<string, string>) => {
          delete h.authorization;
        },
      },
      400,
      'MissingRequiredHeader',
      /Authorization/,
    ],
    [
      'another scheme',
      {
        afterSigning: (h: Record<string, string>) => {
          h.authorization = 'ACS3-HMAC-SHA256 x';
        },
      },
      403,
      'AccessDenied',
      /FC <AccessKeyId>:<signature>/,
    ],
    [
      'a temporary key without its token',
      { accessKeyId: 'STS.tester', secret: 'sts-secret' },
      403,
      'AccessDenied',
      /security token/,
    ],
    [
      'an invocation type that does not exist',
      { headers: { 'x-fc-invocation-type': 'Later' } },
      400,
      'InvalidArgument',
      /Later/,
    ],
    [
      'a path that is no API',
      { path: '/2016-08-15/services/svc/functions/fn' },
      400,
      'PathNotSupported',
      /'POST' against/,
    ],
    ['GET on the invocations path', { method: 'GET', body: '' }, 400, 'PathNotSupported', /'GET' against/],
  ])('refuses %s', async (_, options: RawOptions, status, code, message) => {
    const reply = await raw(options);
    expect(reply.status).toBe(status);
    expect(errorOf(reply).ErrorCode).toBe(code);
    expect(errorOf(reply).ErrorMessage).toMatch(message);
    expect(calls).toHaveLength(0);
  });

  it('injects faults into Function Compute like into any API', async () => {
    sandbox.current.faults.set({ ...sandbox.current.faults.current, rates: { '5xx': 1 } });
    const error = await fcFailure(client().invokeFunction('svc', 'fn', 'x'));
    expect(error.code).toBe('InternalServerError');
    expect(calls).toHaveLength(0);
  });

  it('keeps deployed functions across reset, and undeploys on request', async () => {
    sandbox.current.reset();
    expect((await client().invokeFunction('svc', 'fn', 'x')).data).toEqual({ echo: 'x' });
    const remove = sandbox.current.registerFunction('tmp', 'fn', () => 1);
    expect((await client().invokeFunction('tmp', 'fn', 'x')).data).toBe(1);
    remove();
    expect((await fcFailure(client().invokeFunction('tmp', 'fn', 'x'))).code).toBe('ServiceNotFound');
  });
});

describe('sandbox ListControlPolicies', () => {
  const rm = () => alibabaClient(sandbox.current.url);

  it("lists the directory's control policies with their attachment counts, paged and filtered", async () => {
    const { body } = await rm().listControlPolicies(new ListControlPoliciesRequest({ pageSize: 2 }));
    expect(body?.totalCount).toBe(3);
    expect(
      body?.controlPolicies?.controlPolicy?.map((p) => [p.policyId, p.attachmentCount, p.effectScope]),
    ).toEqual([
      ['cp-FullAliyunAccess', '3', 'All'],
      ['cp-deny-regions', '1', 'RAM'],
    ]);
    const second = await rm().listControlPolicies(
      new ListControlPoliciesRequest({ pageSize: 2, pageNumber: 2 }),
    );
    expect(second.body?.controlPolicies?.controlPolicy?.map((p) => p.policyName)).toEqual(['AllowAll']);
    const custom = await rm().listControlPolicies(new ListControlPoliciesRequest({ policyType: 'Custom' }));
    expect(custom.body?.controlPolicies?.controlPolicy?.map((p) => p.policyType)).toEqual([
      'Custom',
      'Custom',
    ]);
  });

  it('refuses an unknown PolicyType, and an account without a directory', async () => {
    await expectAlibabaError(
      rm().listControlPolicies(new ListControlPoliciesRequest({ policyType: 'Other' })),
      {
        code: 'InvalidParameter',
        status: 400,
      },
    );
    const member = alibabaClient(sandbox.current.url, { accessKeyId: 'member', secret: 'member-secret' });
    await expectAlibabaError(member.listControlPolicies(new ListControlPoliciesRequest({})), {
      code: 'EntityNotExists.ResourceDirectory',
      status: 404,
    });
  });
});
