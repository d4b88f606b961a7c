import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSeed } from '../../../sandbox/seeds';
import { sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';
import { alibabaLine, huaweiLine, tencentLine, type Workspace, workspace } from './bulk-fixture';
import { runOnTerminal, TERMINAL } from './terminal';

const sandbox = useSandbox(() => loadSeed('demo'));
let space: Workspace;
const env = () => ({ ...sandboxEnvironment(sandbox.current.url), REMEDIATE_STATE: space.state });
const totals = () => sandbox.current.calls.totals();

beforeEach(() => {
  sandbox.current.reset();
  space = workspace();
});
afterEach(() => space.remove());

const LINES = [
  alibabaLine('mallory@corp.onaliyun.com'),
  alibabaLine('alice@corp.onaliyun.com'),
  tencentLine(100002, 100000000003, 'MEMBER'),
  tencentLine(100002, 1002, 'NODE'),
  huaweiLine('a5c0e3f1-full-access', '5b3e0c1f-ci-deployer'),
  huaweiLine('c9e2a5b3-obs-admin', '5b3e0c1f-ci-deployer'),
  { provider: 'alibaba', operation: 'delete-policy', policyName: 'OSS-Administrator' },
];

describe.skipIf(TERMINAL === undefined)(
  `remediate run on a terminal (${TERMINAL ?? 'neither tmux nor script is installed'})`,
  { timeout: 180_000 },
  () => {
    it('the progress bar and the summary never share a line with a log line', async () => {
      const file = space.jsonl('bulk.jsonl', LINES);
      // Info logs: one line per outcome, written while the bar is drawn.
      const run = await runOnTerminal(space.dir, ['run', file, '--yes', '--concurrency', '2'], {
        ...env(),
        LOG_LEVEL: 'info',
      });
      expect(run.code, run.screen.join('\n')).toBe(1);
      const logs = run.screen.filter((line) => line.includes('"level":'));
      expect(logs.length, run.screen.join('\n')).toBeGreaterThanOrEqual(LINES.length);
      for (const line of logs) {
        expect(line.startsWith('{'), line).toBe(true);
        expect(() => JSON.parse(line), line).not.toThrow();
      }
      const bars = run.screen.filter((line) => line.includes('remediate ['));
      expect(bars.length).toBeGreaterThan(0);
      for (const line of bars) expect(line, line).toMatch(/^remediate \[[^{]*\] \d+\/7( \S+)?$/);
      expect(bars.at(-1)).toMatch(/\] 7\/7/);
      const summary = run.screen.filter((line) => line.startsWith('total: 7'));
      expect(summary).toHaveLength(1);
      expect(summary[0]).toMatch(
        /^total: 7 {2}detached: 3 {2}already-compliant: 1 {2}dead-lettered: 3 {2}durationMs: \d+$/,
      );
      expect(run.screen).toContain('3 lines not done:');
    });

    it('shows the plan and asks first: "n" changes nothing, "y" carries it out', async () => {
      const file = space.jsonl('confirm.jsonl', LINES.slice(0, 2));
      const no = await runOnTerminal(space.dir, ['run', file], env(), 'n');
      expect(no.screen.join('\n')).toMatch(
        /^line 1 {2}would detach System policy AdministratorAccess from IMSUser mallory@corp\.onaliyun\.com in rg-aek2prod7xk3q$/m,
      );
      expect(no.screen.join('\n')).toMatch(
        /^Carry out 2 lines \(1 to detach, 1 already compliant\)\? \[y\/N\] n$/m,
      );
      expect(no.screen).toContain('Cancelled: nothing was done.');
      expect(no.code).toBe(1);
      expect(totals().mutating).toBe(0);

      const yes = await runOnTerminal(space.dir, ['run', file], env(), 'y');
      expect(yes.code, yes.screen.join('\n')).toBe(0);
      expect(yes.screen.some((l) => /^total: 2 {2}detached: 1 {2}already-compliant: 1/.test(l))).toBe(true);
      expect(totals()).toMatchObject({ mutating: 2, applied: 1 });
    });
  },
);
