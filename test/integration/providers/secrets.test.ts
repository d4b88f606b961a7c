import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../sandbox/faults';
import { loadSeed } from '../../../sandbox/seeds';
import type { WorldInput } from '../../../sandbox/world';
import { executeRequest } from '../../../shared/engine/execute';
import { parseRequest } from '../../../shared/requests';
import { runCli } from '../../helpers/cli';
import { sandboxOptions } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';

// Planted values: none of them, nor any signature, may appear in any output, error or outcome.
const SECRET = 'PLANTED-SECRET-7f3a91be';
const TOKEN = 'PLANTED-TOKEN-c2e8d4aa';
const WRONG_SECRET = 'PLANTED-WRONG-SECRET-55d1';
const WRONG_TOKEN = 'PLANTED-WRONG-TOKEN-9b07';
const FORBIDDEN = [
  SECRET,
  TOKEN,
  WRONG_SECRET,
  WRONG_TOKEN,
  'Signature=',
  'Authorization',
  'authorization',
  'HMAC-SHA256 ',
];

function world(): WorldInput {
  const seed = loadSeed('demo');
  for (const cloud of ['alibaba', 'tencent', 'huawei'] as const) {
    seed.keys.push({ cloud, accessKeyId: 'STS.planted', secret: SECRET, token: TOKEN, deny: [] });
    seed.keys.push({ cloud, accessKeyId: 'planted-denied', secret: SECRET, deny: ['*'] });
  }
  return seed;
}

const sandbox = useSandbox(world);

const REQUESTS = {
  alibaba: [
    'alibaba/detach-policy',
    '--resource-group-id',
    'rg-aek2prod7xk3q',
    '--policy-type',
    'System',
    '--policy-name',
    'AdministratorAccess',
    '--principal-type',
    'IMSUser',
    '--principal-name',
    'mallory@corp.onaliyun.com',
  ],
  tencent: ['tencent/detach-policy', '--policy-id', '100001', '--target-id', '1001', '--target-type', 'NODE'],
  huawei: [
    'huawei/detach-agency-policy',
    '--policy-id',
    'c9e2a5b3-obs-admin',
    '--agency-id',
    '5b3e0c1f-ci-deployer',
  ],
} as const;

function credentialEnv(keyId: string, secret: string, token?: string): NodeJS.ProcessEnv {
  const url = sandbox.current.url;
  return {
    REMEDIATE_ALIBABA_ENDPOINT: url,
    REMEDIATE_TENCENT_ENDPOINT: url,
    REMEDIATE_HUAWEI_ENDPOINT: url,
    REMEDIATE_DEADLINE_MS: '3000',
    REMEDIATE_STATE: 'memory',
    // Every log the project and the SDKs can write, at their most talkative.
    LOG_LEVEL: 'trace',
    DEBUG: 'DEBUG',
    ALIBABA_CLOUD_ACCESS_KEY_ID: keyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret,
    ALIBABA_CLOUD_SECURITY_TOKEN: token,
    TENCENTCLOUD_SECRETID: keyId,
    TENCENTCLOUD_SECRETKEY: secret,
    TENCENTCLOUD_SESSIONTOKEN: token,
    HUAWEICLOUD_SDK_AK: keyId,
    HUAWEICLOUD_SDK_SK: secret,
    HUAWEICLOUD_SDK_SECURITY_TOKEN: token,
  };
}

function expectClean(text: string): void {
  for (const value of FORBIDDEN) expect(text).not.toContain(value);
}

/** With --json and even the SDKs' debug switches on, every line on either stream is one JSON object. */
function expectJsonLines(text: string): void {
  for (const line of text.split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
}

describe('planted secrets never reach logs, errors or results', () => {
  it('through the CLI on every cloud: success, bad secret, bad token, denied, dropped connections', async () => {
    const scenarios = [
      { env: credentialEnv('STS.planted', SECRET, TOKEN), expect: /detached|already-compliant/ },
      { env: credentialEnv('STS.planted', WRONG_SECRET, TOKEN), expect: /"reason":"permission"/ },
      { env: credentialEnv('STS.planted', SECRET, WRONG_TOKEN), expect: /"reason":"permission"/ },
      { env: credentialEnv('planted-denied', SECRET), expect: /"reason":"permission"/ },
    ];
    const runs = await Promise.all(
      scenarios.flatMap((scenario) =>
        Object.values(REQUESTS).map(async (args) => ({
          scenario,
          run: await runCli(['apply', ...args, '--json'], scenario.env),
        })),
      ),
    );
    for (const { scenario, run } of runs) {
      expect(run.stdout).toMatch(scenario.expect);
      expectClean(run.stdout + run.stderr);
      expectJsonLines(run.stdout + run.stderr);
    }

    sandbox.current.faults.set(parseFaultSpec('drop=1'));
    try {
      const dropped = await Promise.all(
        Object.values(REQUESTS).map((args) =>
          runCli(['apply', ...args, '--json'], credentialEnv('STS.planted', SECRET, TOKEN)),
        ),
      );
      for (const run of dropped) {
        expect(run.stdout).toMatch(/"reason":"retry-budget-exhausted"/);
        expectClean(run.stdout + run.stderr);
      }
    } finally {
      sandbox.current.faults.set(parseFaultSpec(''));
    }
  }, 60_000);

  it('in outcomes returned by the engine', async () => {
    const credentials = { accessKeyId: 'STS.planted', accessKeySecret: WRONG_SECRET, securityToken: TOKEN };
    for (const args of Object.values(REQUESTS)) {
      const [operation, ...flags] = args;
      const input: Record<string, unknown> = {
        provider: operation.split('/')[0],
        operation: operation.split('/')[1],
      };
      for (let i = 0; i < flags.length; i += 2) {
        const name = (flags[i] as string).slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
        input[name] = /^\d+$/.test(flags[i + 1] as string) ? Number(flags[i + 1]) : flags[i + 1];
      }
      const parsed = parseRequest(input);
      if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.rule}`);
      const outcome = await executeRequest(
        parsed.request,
        sandboxOptions(sandbox.current.url, {}, credentials),
      );
      expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'permission' });
      expectClean(JSON.stringify(outcome));
    }
  });
});
