import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSeed } from '../../../sandbox/seeds';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';
import { alibabaLine, huaweiLine, jsonLines, tencentLine, type Workspace, workspace } from './bulk-fixture';

const sandbox = useSandbox(() => loadSeed('demo'));
let space: Workspace;
const env = () => ({ ...sandboxEnvironment(sandbox.current.url), REMEDIATE_STATE: space.state });
const totals = () => sandbox.current.calls.totals();

beforeEach(() => {
  sandbox.current.reset();
  space = workspace();
});
afterEach(() => space.remove());

/** One line of each kind the plan tells apart, against the demo organization. */
function planFile(rules?: string) {
  const file = space.jsonl('plan.jsonl', [
    alibabaLine('mallory@corp.onaliyun.com'),
    alibabaLine('breakglass@corp.onaliyun.com'),
    alibabaLine('alice@corp.onaliyun.com'),
    tencentLine(100002, 100000000003, 'MEMBER'),
    huaweiLine('a5c0e3f1-full-access', '5b3e0c1f-ci-deployer'),
    { provider: 'alibaba', operation: 'delete-policy', policyName: 'OSS-Administrator' },
    { provider: 'alibaba', operation: 'delete-policy', policyName: 'legacy-admin', cascade: true },
    {
      provider: 'alibaba',
      operation: 'detach-control-policy',
      policyId: 'cp-AllowAllLab00001',
      targetId: '3234567890123456',
    },
  ]);
  const rulesFile =
    rules ??
    space.jsonl('rules.json', [
      {
        version: 1,
        exemptions: [
          {
            when: { principalName: 'breakglass@*' },
            reason: 'break-glass account',
            owner: 'secops@corp.example',
            expires: '2099-12-31',
          },
        ],
      },
    ]);
  return { file, rulesFile };
}

describe('remediate run --dry-run', { timeout: 90_000 }, () => {
  it('reads each target and prints what each line would do and a summary, with zero mutating calls', async () => {
    const { file, rulesFile } = planFile();
    const run = await runCli(['run', '--dry-run', file], { ...env(), REMEDIATE_RULES: rulesFile });
    expect(run.code, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(
      /^line 1 {2}would detach System policy AdministratorAccess from IMSUser mallory@corp\.onaliyun\.com in rg-aek2prod7xk3q$/m,
    );
    expect(out).toMatch(
      /^line 2 {2}exempt until 2099-12-31: break-glass account \(owner secops@corp\.example\)$/m,
    );
    expect(out).toMatch(
      /^line 3 {2}already compliant: System policy AdministratorAccess from IMSUser alice@corp\.onaliyun\.com in rg-aek2prod7xk3q is not attached$/m,
    );
    expect(out).toMatch(
      /^line 4 {2}blocked: service control policy 100002 \(AllowAllExperimental\) from member 100000000003 \(lab-experiments\) is the target's last policy/m,
    );
    expect(out).toMatch(
      /^line 5 {2}would detach policy a5c0e3f1-full-access \(FullAccess\) from agency 5b3e0c1f-ci-deployer$/m,
    );
    expect(out).toMatch(
      /^line 6 {2}blocked: Custom policy OSS-Administrator is still attached to 1 principal \(use cascade\)$/m,
    );
    expect(out).toMatch(
      /^line 7 {2}would delete Custom policy legacy-admin after detaching it from 1 principals$/m,
    );
    expect(out).toMatch(
      /^line 8 {2}would detach control policy cp-AllowAllLab00001 \(AllowEverythingLab\) from 3234567890123456 \(lab-experiments\)$/m,
    );
    expect(out).toMatch(/^Plan: 3 to detach, 1 to delete, 2 blocked, 1 already compliant, 1 exempt\.$/m);
    expect(out).toMatch(/^Dry run: nothing was changed\.$/m);
    expect(totals().mutating).toBe(0);
    expect(totals().read).toBeGreaterThan(0);
  });

  it('REMEDIATE_DRY_RUN=true plans the same, --json prints one object a line, and the plan sees earlier lines', async () => {
    const { file, rulesFile } = planFile();
    const twice = space.jsonl('last-two.jsonl', [
      // The lab member holds two control policies: the first line may go, the second would then be the last.
      {
        provider: 'alibaba',
        operation: 'detach-control-policy',
        policyId: 'cp-AllowAllLab00001',
        targetId: '3234567890123456',
      },
      {
        provider: 'alibaba',
        operation: 'detach-control-policy',
        policyId: 'cp-FullAliyunAccess',
        targetId: '3234567890123456',
      },
    ]);
    const [variable, json, sequence, alias] = await Promise.all([
      runCli(['run', file], { ...env(), REMEDIATE_RULES: rulesFile, REMEDIATE_DRY_RUN: 'true' }),
      runCli(['run', file, '--dry-run', '--json'], { ...env(), REMEDIATE_RULES: rulesFile }),
      runCli(['run', twice, '--dry-run'], env()),
      runCli(['plan', file], { ...env(), REMEDIATE_RULES: rulesFile }),
    ]);
    expect(variable.code, variable.stderr).toBe(0);
    expect(variable.stdout).toMatch(
      /^Plan: 3 to detach, 1 to delete, 2 blocked, 1 already compliant, 1 exempt\.$/m,
    );
    expect(alias.stdout).toBe(variable.stdout);
    expect(json.code, json.stderr).toBe(0);
    const lines = jsonLines(json.stdout);
    expect(lines.at(-1)).toMatchObject({
      summary: {
        detach: 3,
        delete: 1,
        blocked: 2,
        compliant: 1,
        exempt: 1,
        text: '3 to detach, 1 to delete, 2 blocked, 1 already compliant, 1 exempt',
      },
    });
    expect(lines.slice(0, -1).map((l) => [l.line, l.action, l.reason])).toEqual([
      [1, 'detach', undefined],
      [2, 'exempt', undefined],
      [3, 'compliant', undefined],
      [4, 'blocked', 'last-policy'],
      [5, 'detach', undefined],
      [6, 'blocked', 'attached-elsewhere'],
      [7, 'delete', undefined],
      [8, 'detach', undefined],
    ]);
    expect(sequence.stdout).toMatch(/^line 1 {2}would detach control policy cp-AllowAllLab00001/m);
    expect(sequence.stdout).toMatch(
      /^line 2 {2}blocked: control policy cp-FullAliyunAccess .* is the target's last policy/m,
    );
    expect(totals().mutating).toBe(0);
  });

  it('a fallback policy in the rules turns a last-policy block into a replace', async () => {
    const rules = space.jsonl('fallback.json', [{ version: 1, lastPolicy: { tencent: { replaceWith: 1 } } }]);
    const file = space.jsonl('last.jsonl', [tencentLine(100002, 100000000003, 'MEMBER')]);
    const run = await runCli(['run', file, '--dry-run'], { ...env(), REMEDIATE_RULES: rules });
    expect(run.stdout).toMatch(
      /^line 1 {2}would detach .* attaching the fallback policy 1 first \(last policy\)$/m,
    );
    expect(totals().mutating).toBe(0);
  });
});
