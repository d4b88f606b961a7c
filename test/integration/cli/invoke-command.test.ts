import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as queueCleanupOnFc } from '../../../functions/queue-cleanup/alibaba';
import { processRuntime } from '../../../functions/runtime';
import { RetryLaterError } from '../../../functions/settle';
import type { FcInvocation } from '../../../sandbox/alibaba/fc/registry';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET } from '../../../sandbox/keys';
import { loadSeed } from '../../../sandbox/seeds';
import { signBody } from '../../../shared/http/signature';
import { logger } from '../../../shared/logger';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';

const sandbox = useSandbox(() => loadSeed('demo'));
const env = () => sandboxEnvironment(sandbox.current.url);
const EVENTS = join(__dirname, '../../fixtures/invoke');
const event = (name: string) => join(EVENTS, name);
const dir = mkdtempSync(join(tmpdir(), 'remediate-invoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ACCOUNT = '1234567890123456'; // the demo seed's Alibaba account, which the `sandbox` key belongs to
const SECRET = 'http-invoke-secret-0123456789';

const RULES = join(dir, 'rules.yaml');
writeFileSync(
  RULES,
  'version: 1\nrules:\n  - id: no-admin\n    provider: alibaba\n    operation: detach-policy\n    when: { policyName: AdministratorAccess }\n',
);

const json = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;
const applied = (action: string) => sandbox.current.calls.list({ action }).filter((c) => c.applied).length;

beforeEach(() => sandbox.current.reset());

const USAGE_ERRORS: [string[], NodeJS.ProcessEnv, RegExp][] = [
  [['invoke', 'cleanup', '--event', event('tencent-queue-cmq.json')], {}, /unknown function 'cleanup'/],
  [
    ['invoke', 'queue-cleanup', '--cloud', 'aws', '--event', event('tencent-queue-cmq.json')],
    {},
    /--cloud: must be one of alibaba, tencent, huawei/,
  ],
  [['invoke', 'queue-cleanup'], {}, /required option '--event <file>' not specified/],
  [['invoke', 'queue-cleanup', '--event', join(dir, 'nope.json')], {}, /--event .*nope\.json: ENOENT/],
  [['invoke', 'queue-cleanup', '--cloud', 'huawei', '--event', RULES], {}, /--event .*rules\.yaml: not JSON/],
  [
    ['invoke', 'queue-cleanup', '--cloud', 'tencent', '--event', event('tencent-queue-cmq.json')],
    { TENCENTCLOUD_SECRETKEY: '' },
    /set TENCENTCLOUD_SECRETID and TENCENTCLOUD_SECRETKEY/,
  ],
  [
    ['invoke', 'queue-cleanup', '--event', event('alibaba-queue-mns.json'), '--fc', `${ACCOUNT}/remediate`],
    {},
    /--fc: must be ACCOUNT\/SERVICE\/FUNCTION/,
  ],
  [
    ['invoke', 'queue-cleanup', '--event', event('alibaba-queue-mns.json'), '--fc', 'acme/remediate/fn'],
    {},
    /--fc: the account 'acme' must be an account id/,
  ],
  [
    ['invoke', 'queue-cleanup', '--event', event('alibaba-queue-mns.json'), '--fc', `${ACCOUNT}/9lives/fn`],
    {},
    /--fc: the service '9lives' must be/,
  ],
  [
    [
      'invoke',
      'queue-cleanup',
      '--cloud',
      'tencent',
      '--event',
      event('alibaba-queue-mns.json'),
      '--fc',
      `${ACCOUNT}/remediate/fn`,
    ],
    {},
    /--fc invokes Alibaba Function Compute: leave out --cloud/,
  ],
];

describe('remediate invoke (local)', () => {
  it('runs audit-log on FC: the attach event becomes a detach where a rule selects it', async () => {
    const run = await runCli(['invoke', 'audit-log', '--event', event('alibaba-audit-attachpolicy.json')], {
      ...env(),
      REMEDIATE_RULES: RULES,
    });
    expect(run.stderr).not.toMatch(/remediate invoke:/);
    expect(run.code).toBe(0);
    // Printed as indented JSON for a person.
    expect(run.stdout).toMatch(/^\{\n {2}"outcomes": \[/);
    expect(json(run.stdout)).toMatchObject({
      outcomes: [
        {
          status: 'detached',
          operation: 'alibaba/detach-policy',
          target: 'rg-aek2prod7xk3q IMSUser:mallory@corp.onaliyun.com System:AdministratorAccess',
        },
      ],
      counts: { detached: 1 },
    });
    expect(applied('DetachPolicy')).toBe(1);

    const noRule = await runCli(
      ['invoke', 'audit-log', '--event', event('alibaba-audit-attachpolicy.json')],
      env(),
    );
    // An audit event is a hint: the cloud, read again, no longer lists the grant the first run removed.
    expect(json(noRule.stdout)).toMatchObject({
      outcomes: [{ status: 'already-compliant', attempts: 0 }],
    });
  });

  it('runs queue-cleanup on SCF and on FunctionGraph with the environment credentials', async () => {
    const tencent = await runCli(
      ['invoke', 'queue-cleanup', '--cloud', 'tencent', '--event', event('tencent-queue-cmq.json'), '--json'],
      env(),
    );
    expect(tencent.code).toBe(0);
    expect(tencent.stdout.trim().split('\n')).toHaveLength(1);
    expect(json(tencent.stdout)).toMatchObject({
      outcomes: [{ status: 'detached', target: 'NODE:1001 SERVICE_CONTROL_POLICY:100001' }],
    });
    const huawei = await runCli(
      ['invoke', 'queue-cleanup', '--cloud', 'huawei', '--event', event('huawei-queue-kafka.json'), '--json'],
      env(),
    );
    expect(huawei.code).toBe(0);
    expect(json(huawei.stdout)).toMatchObject({
      outcomes: [{ status: 'detached', target: 'agency:5b3e0c1f-ci-deployer policy:a5c0e3f1-full-access' }],
    });
    expect(sandbox.current.calls.list({ mutating: true }).map((c) => `${c.cloud}:${c.action}`)).toEqual([
      'tencent:DetachPolicy',
      'huawei:DetachAgencyPolicyV5',
    ]);
  });

  it('runs http-invoke on FC: an unsigned request is answered 401, a signed one carried out', async () => {
    const withSecret = { ...env(), REMEDIATE_HTTP_SECRET: SECRET };
    const unsigned = await runCli(
      ['invoke', 'http-invoke', '--event', event('alibaba-http-unsigned.json'), '--json'],
      withSecret,
    );
    expect(unsigned.code).toBe(0);
    expect(json(unsigned.stdout)).toMatchObject({ statusCode: 401 });
    expect(sandbox.current.calls.totals().total).toBe(0);

    const template = JSON.parse(readFileSync(event('alibaba-http-unsigned.json'), 'utf8'));
    const body = JSON.stringify({
      requests: [
        {
          provider: 'alibaba',
          operation: 'detach-control-policy',
          policyId: 'cp-AllowAllLab00001',
          targetId: '3234567890123456',
        },
      ],
    });
    const signed = join(dir, 'http-signed.json');
    writeFileSync(
      signed,
      JSON.stringify({
        ...template,
        body,
        headers: {
          'Content-Type': 'application/json',
          'X-Remediate-Signature': signBody(SECRET, body, Math.floor(Date.now() / 1000)),
        },
      }),
    );
    const run = await runCli(['invoke', 'http-invoke', '--event', signed, '--json'], withSecret);
    expect(run.code).toBe(0);
    const reply = json(run.stdout) as { statusCode: number; body: string };
    expect(reply.statusCode).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ outcomes: [{ status: 'detached' }] });
    expect(applied('DetachControlPolicy')).toBe(1);
  });

  it('exits 1 with the message of what the function threw (RetryLaterError: the platform would redeliver)', async () => {
    sandbox.current.faults.set({
      ...sandbox.current.faults.current,
      rates: { '5xx': 1 },
      clouds: ['alibaba'],
    });
    const run = await runCli(
      ['invoke', 'queue-cleanup', '--event', event('alibaba-queue-mns.json'), '--json'],
      {
        ...env(),
        REMEDIATE_DEADLINE_MS: '2500',
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/remediate invoke: RetryLaterError: 1 of 1 requests must be retried/);
    expect(json(run.stdout.trim().split('\n').at(-1) ?? '')).toEqual({
      error: { name: 'RetryLaterError', message: '1 of 1 requests must be retried' },
    });
  });

  it.each(USAGE_ERRORS.map(([args, change, message]) => [message.source, args, change, message] as const))(
    'refuses bad usage (%s) with exit 2 and calls nothing',
    async (_, args, change, message) => {
      const run = await runCli(args, { ...env(), ...change });
      expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(message)]);
      expect(sandbox.current.calls.totals().total).toBe(0);
    },
  );

  it("refuses another platform's event with exit 2 naming the cloud it fits, calling nothing", async () => {
    const run = await runCli(
      ['invoke', 'queue-cleanup', '--event', event('tencent-queue-cmq.json'), '--cloud', 'alibaba'],
      env(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--cloud alibaba: not an event that alibaba's queue-cleanup would get; it reads as tencent's \(--cloud tencent\)/,
    );
    expect(run.stdout).toBe('');
    expect(sandbox.current.calls.totals().total).toBe(0);
  });

  it('has help naming the platforms and the exit codes', async () => {
    const run = await runCli(['invoke', '--help'], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--fc <account\/service\/function>/);
    expect(run.stdout).toMatch(/main_handler\(event, context\)/);
    expect(run.stdout).toMatch(/Exit code 0/);
  });
});

describe('remediate invoke --fc (a deployed Function Compute function, through @alicloud/fc2)', () => {
  const received: { payload: Buffer; invocation: FcInvocation }[] = [];
  const undeploy: (() => void)[] = [];

  beforeAll(() => {
    // The deployed queue-cleanup function runs in this process, against the same sandbox (quietly).
    logger.level = 'warn';
    process.env.REMEDIATE_ALIBABA_ENDPOINT = sandbox.current.url;
    process.env.REMEDIATE_STATE = 'memory';
    const s = sandbox.current;
    undeploy.push(
      s.registerFunction('remediate', 'echo', async (payload, invocation) => {
        received.push({ payload, invocation });
        return { bytes: payload.length, event: JSON.parse(payload.toString('utf8')) };
      }),
      s.registerFunction('remediate', 'queue-cleanup', (payload, invocation) =>
        queueCleanupOnFc(payload, {
          requestId: invocation.requestId,
          credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_SECRET },
          function: { timeout: 30 },
        }),
      ),
      s.registerFunction('remediate', 'overloaded', async () => {
        throw new RetryLaterError('1 of 1 requests must be retried');
      }),
    );
  });

  afterAll(async () => {
    for (const u of undeploy) u();
    await processRuntime.close();
  });

  const fcArgs = (fn: string, name = 'alibaba-queue-mns.json') => [
    'invoke',
    'queue-cleanup',
    '--event',
    event(name),
    '--fc',
    `${ACCOUNT}/remediate/${fn}`,
    '--json',
  ];

  it("sends the event file's bytes and prints the function's result", async () => {
    received.length = 0;
    const run = await runCli(fcArgs('echo'), env());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const file = readFileSync(event('alibaba-queue-mns.json'));
    expect(json(run.stdout)).toEqual({ bytes: file.length, event: JSON.parse(file.toString('utf8')) });
    expect(received).toHaveLength(1);
    expect(received[0]?.payload.equals(file)).toBe(true);
    expect(received[0]?.invocation).toMatchObject({
      account: ACCOUNT,
      service: 'remediate',
      function: 'echo',
      invocationType: 'Sync',
    });
    expect(sandbox.current.calls.list({ action: 'InvokeFunction' })).toMatchObject([
      { cloud: 'alibaba', accessKeyId: 'sandbox', account: ACCOUNT, httpStatus: 200, mutating: false },
    ]);
  });

  it('runs the deployed queue-cleanup function end to end', async () => {
    const run = await runCli(fcArgs('queue-cleanup'), env());
    expect(run.code).toBe(0);
    expect(json(run.stdout)).toMatchObject({
      outcomes: [{ status: 'detached', target: '3234567890123456 cp-AllowAllLab00001' }],
    });
    expect(applied('DetachControlPolicy')).toBe(1);
  });

  it('signs with temporary credentials too', async () => {
    const run = await runCli(fcArgs('echo'), {
      ...env(),
      ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.sandbox',
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sandbox-sts-secret',
      ALIBABA_CLOUD_SECURITY_TOKEN: 'sandbox-sts-token',
    });
    expect([run.code, run.stderr]).toEqual([0, '']);
  });

  it("exits 1 with the function's own error", async () => {
    const run = await runCli(fcArgs('overloaded'), env());
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /remediate invoke: the function failed: RetryLaterError: 1 of 1 requests must be retried/,
    );
    expect(json(run.stdout)).toMatchObject({
      error: { name: 'RetryLaterError', message: '1 of 1 requests must be retried' },
    });
  });

  it.each([
    [
      'an unknown function',
      fcArgs('nope'),
      {},
      /FunctionNotFound: .*function 'nope' does not exist in service 'remediate'/,
    ],
    [
      'an unknown service',
      [
        'invoke',
        'audit-log',
        '--event',
        event('alibaba-queue-mns.json'),
        '--fc',
        `${ACCOUNT}/elsewhere/echo`,
      ],
      {},
      /ServiceNotFound: .*service 'elsewhere' does not exist/,
    ],
    [
      'a wrong secret',
      fcArgs('echo'),
      { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'not-the-secret' },
      /SignatureNotMatch: .*failed with 403.*The request signature we calculated does not match the signature you provided/,
    ],
    [
      'an unknown key',
      fcArgs('echo'),
      { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI-unknown' },
      /InvalidAccessKeyID: .*'LTAI-unknown'/,
    ],
    [
      "another account's function",
      [
        'invoke',
        'audit-log',
        '--event',
        event('alibaba-queue-mns.json'),
        '--fc',
        '9999999999999999/remediate/echo',
      ],
      {},
      /AccessDenied: .*does not belong to account 9999999999999999/,
    ],
  ])('exits 1 with Function Compute refusing %s', async (_, args, change, message) => {
    received.length = 0;
    const run = await runCli(args, { ...env(), ...change });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/remediate invoke: Function Compute refused the call: /);
    expect(run.stderr).toMatch(message);
    expect(received).toHaveLength(0);
  });
});
