import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../../sandbox/seeds';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';

const dir = mkdtempSync(join(tmpdir(), 'remediate-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sandbox = useSandbox(() => loadSeed('demo'));
/** Two or three CLI processes per test, each seconds long on a loaded two-core machine. */
const SLOW = 90_000;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
function rulesFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const exemption = (principal: string, expires: string) =>
  `  - when: { principalName: "${principal}" }\n    reason: r\n    owner: o@corp.example\n    expires: ${expires}\n`;

describe('remediate validate', () => {
  it(
    'accepts a valid file and lists its expired and soon-expiring exemptions',
    async () => {
      const path = rulesFile(
        'rules.yaml',
        `version: 1\nexemptions:\n${exemption('old@corp', day(-2))}${exemption('soon@corp', day(5))}${exemption('later@corp', day(90))}`,
      );
      const run = await runCli(['validate', path]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`${path}: valid (0 rules, 3 exemptions)`);
      expect(run.stdout).toMatch(new RegExp(`expired exemptions.*\\n.*old@corp.*expires ${day(-2)}`));
      expect(run.stdout).toMatch(/expiring within 30 days:\n.*soon@corp/);
      expect(run.stdout).not.toContain('later@corp');

      const json = await runCli(['validate', '--json'], { REMEDIATE_RULES: path });
      const result = JSON.parse(json.stdout) as { expired: unknown[]; expiring: unknown[] };
      expect([result.expired.length, result.expiring.length]).toEqual([1, 1]);
    },
    SLOW,
  );

  it(
    'refuses an invalid file with exit 2, naming the field',
    async () => {
      const path = rulesFile('bad.yaml', `version: 1\nexemptions:\n${exemption('x@corp', '31.01.2027')}`);
      const run = await runCli(['validate', path]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/exemptions\.0\.expires: must be a date, YYYY-MM-DD/);
    },
    SLOW,
  );

  it(
    'needs a file',
    async () => {
      const run = await runCli(['validate']);
      expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/REMEDIATE_RULES/)]);
    },
    SLOW,
  );
});

describe('remediate doctor', () => {
  it(
    'checks each cloud, the state and the rules, naming key ids, never secrets',
    async () => {
      const env = { ...sandboxEnvironment(sandbox.current.url), REMEDIATE_RULES: join(dir, 'rules.yaml') };
      const good = await runCli(['doctor'], env);
      expect(good.code).toBe(0);
      for (const cloud of ['alibaba', 'tencent', 'huawei'])
        expect(good.stdout).toMatch(
          new RegExp(
            `ok +${cloud} +key id sandbox, endpoint ${sandbox.current.url}.*reachable, credentials accepted`,
          ),
        );
      expect(good.stdout).toMatch(/ok +state +memory/);
      expect(good.stdout).toMatch(/ok +rules +.*rules\.yaml: valid/);
      expect(good.stdout).not.toContain('sandbox-secret');
      expect(sandbox.current.calls.totals().mutating).toBe(0);

      const bad = await runCli(['doctor', '--json'], {
        ...env,
        TENCENTCLOUD_SECRETKEY: 'not-the-secret',
        REMEDIATE_HUAWEI_ENDPOINT: 'http://127.0.0.1:1',
        REMEDIATE_DEADLINE_MS: '1500',
        ALIBABA_CLOUD_ACCESS_KEY_ID: '',
      });
      expect(bad.code).toBe(1);
      const checks = JSON.parse(bad.stdout) as { check: string; status: string; detail: string }[];
      const byName = Object.fromEntries(checks.map((c) => [c.check, c]));
      expect(byName.alibaba).toMatchObject({
        status: 'skipped',
        detail: expect.stringMatching(/ALIBABA_CLOUD_ACCESS_KEY_ID/),
      });
      expect(byName.tencent).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/authentication failed/),
      });
      expect(byName.huawei).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/127\.0\.0\.1:1.*no answer/),
      });
      expect(bad.stdout).not.toContain('not-the-secret');
    },
    SLOW,
  );
});
