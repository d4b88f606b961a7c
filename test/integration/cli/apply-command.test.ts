import { beforeEach, describe, expect, it } from 'vitest';
import { loadSeed } from '../../../sandbox/seeds';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';

const sandbox = useSandbox(() => loadSeed('demo'));
const env = () => sandboxEnvironment(sandbox.current.url);
const mallory = [
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
];
const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

beforeEach(() => sandbox.current.reset());

describe('remediate apply', () => {
  it('detaches through the engine and prints the outcome as the last JSON line', async () => {
    const run = await runCli(['apply', ...mallory, '--json'], env());
    expect(run.code).toBe(0);
    expect(JSON.parse(lastLine(run.stdout))).toMatchObject({
      status: 'detached',
      operation: 'alibaba/detach-policy',
      attempts: 1,
    });
    expect(sandbox.current.calls.totals()).toMatchObject({ mutating: 1, applied: 1 });

    const again = await runCli(['apply', ...mallory, '--json'], env());
    expect(JSON.parse(lastLine(again.stdout))).toMatchObject({ status: 'already-compliant' });
    expect(sandbox.current.calls.totals().applied).toBe(1);
  });

  it('prints a readable line without --json', async () => {
    const run = await runCli(
      [
        'apply',
        'tencent/detach-policy',
        '--policy-id',
        '100002',
        '--target-id',
        '100000000003',
        '--target-type',
        'MEMBER',
      ],
      env(),
    );
    expect(run.stdout).toMatch(
      /^dead-lettered \(last-policy\) {2}tencent\/detach-policy {2}MEMBER:100000000003/,
    );
    expect(run.stdout).toMatch(/configure lastPolicy\.replaceWith/);
    expect(run.code).toBe(1);
  });

  it.each([
    [['--policy-name', 'Admin Access'], /--policy-name: may contain only letters, digits and hyphens/],
    [['--policy-type', 'Managed'], /--policy-type: /],
    [['--principal-type'], /--principal-type: needs a value/],
    [['--colour', 'red'], /--colour: not a field of alibaba\/detach-policy/],
  ])('refuses invalid input %j with exit 2, naming the field, and calls nothing', async (change, message) => {
    const args = [...mallory];
    const at = args.indexOf(change[0] as string);
    if (at >= 0) args.splice(at, 2, ...change);
    else args.push(...change);
    const run = await runCli(['apply', ...args], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(sandbox.current.calls.totals().total).toBe(0);
  });

  it('refuses a non-integer Tencent id and an unknown operation with exit 2', async () => {
    const id = await runCli(
      ['apply', 'tencent/detach-policy', '--policy-id', '12a', '--target-id', '1', '--target-type', 'NODE'],
      env(),
    );
    expect([id.code, id.stderr]).toEqual([2, expect.stringMatching(/--policy-id: must be an integer/)]);
    const op = await runCli(['apply', 'aws/detach-role-policy'], env());
    expect([op.code, op.stderr]).toEqual([
      2,
      expect.stringMatching(/unknown operation 'aws\/detach-role-policy'/),
    ]);
    expect(sandbox.current.calls.totals().total).toBe(0);
  });

  it('a typo is not success: an agency and policy that do not exist are named, exit 1', async () => {
    const run = await runCli(
      ['apply', 'huawei/detach-agency-policy', '--policy-id', 'p-1', '--agency-id', 'a-1'],
      env(),
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^already-compliant .*\n {2}not found: .*agency a-1/m);
    const json = await runCli(
      ['apply', 'huawei/detach-agency-policy', '--policy-id', 'p-1', '--agency-id', 'a-1', '--json'],
      env(),
    );
    expect(json.code).toBe(1);
    expect(JSON.parse(lastLine(json.stdout))).toMatchObject({
      status: 'already-compliant',
      missing: expect.stringContaining('agency a-1'),
    });
    expect(sandbox.current.calls.totals().applied).toBe(0);
  }, 60_000);

  it('dry-run reads but makes no mutating call', async () => {
    const run = await runCli(['apply', ...mallory, '--dry-run', '--json'], env());
    expect(JSON.parse(lastLine(run.stdout))).toMatchObject({
      status: 'skipped',
      hint: 'dry-run: would detach the policy',
    });
    expect(sandbox.current.calls.totals()).toMatchObject({ mutating: 0 });
    const viaEnv = await runCli(['apply', ...mallory, '--json'], { ...env(), REMEDIATE_DRY_RUN: 'true' });
    expect(JSON.parse(lastLine(viaEnv.stdout)).status).toBe('skipped');
    expect(sandbox.current.calls.totals()).toMatchObject({ mutating: 0 });
  });

  it('names the missing credentials and a bad variable, with exit 2', async () => {
    const { ALIBABA_CLOUD_ACCESS_KEY_SECRET: _, ...noSecret } = env();
    const missing = await runCli(['apply', ...mallory], noSecret);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringMatching(/set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/),
    ]);
    const bad = await runCli(['apply', ...mallory], {
      ...env(),
      REMEDIATE_ALIBABA_ENDPOINT: 'localhost:4600',
    });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/REMEDIATE_ALIBABA_ENDPOINT: must/)]);
  });
});
