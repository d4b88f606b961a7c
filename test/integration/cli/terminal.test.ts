import { beforeEach, describe, expect, it } from 'vitest';
import { colourFor } from '../../../cli/colour';
import { openRuntime } from '../../../cli/runtime';
import { loadSeed } from '../../../sandbox/seeds';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';

const sandbox = useSandbox(() => loadSeed('demo'));
const env = () => sandboxEnvironment(sandbox.current.url);
const tencentDetach = [
  'apply',
  'tencent/detach-policy',
  '--policy-id',
  '1',
  '--target-id',
  '1001',
  '--target-type',
  'NODE',
];
const logLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string });

beforeEach(() => sandbox.current.reset());
/** Several CLI processes per test, each seconds long on a loaded two-core machine. */
const SLOW = 90_000;

describe('a calm terminal', () => {
  it(
    'logs nothing below a warning by default, and info lines with -v (one JSON object a line on stderr)',
    async () => {
      const quiet = await runCli(tencentDetach, env());
      expect(quiet.code).toBe(0);
      expect(quiet.stdout).toMatch(/^detached /);
      expect(quiet.stderr).toBe('');

      sandbox.current.reset();
      const verbose = await runCli([...tencentDetach, '-v'], env());
      expect(verbose.code).toBe(0);
      const lines = logLines(verbose.stderr);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.some((line) => line.level === 30)).toBe(true);
      expect(
        verbose.stderr
          .trim()
          .split('\n')
          .every((line) => line.startsWith('{')),
      ).toBe(true);
    },
    SLOW,
  );

  it(
    'LOG_LEVEL more verbose than the default is honoured',
    async () => {
      const run = await runCli(tencentDetach, { ...env(), LOG_LEVEL: 'info' });
      expect(logLines(run.stderr).some((line) => line.level === 30)).toBe(true);
    },
    SLOW,
  );

  it(
    'a LOG_LEVEL that is not a level stops with exit 2, naming it and the allowed values, no stack trace',
    async () => {
      for (const args of [
        ['dlq', 'list'],
        ['sandbox', '--port', '0'],
      ]) {
        const run = await runCli(args, { ...env(), LOG_LEVEL: 'verbose' });
        expect(run.code).toBe(2);
        expect(run.stderr).toBe(
          'remediate: LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")\n',
        );
      }
    },
    SLOW,
  );

  it(
    'apply --help lists the fields of every operation',
    async () => {
      const run = await runCli(['apply', '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /tencent\/detach-policy +--policy-id --target-id --target-type --type --account/,
      );
      expect(run.stdout).toMatch(/huawei\/detach-agency-policy +--policy-id --agency-id --account/);
    },
    SLOW,
  );

  it(
    'a wrong secret is reported as an authentication failure naming the key id, never the secret',
    async () => {
      const run = await runCli(tencentDetach, { ...env(), TENCENTCLOUD_SECRETKEY: 'not-the-secret' });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /authentication failed: tencent did not accept the credentials \(key id sandbox\); check TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY/,
      );
      expect(`${run.stdout}${run.stderr}`).not.toContain('not-the-secret');
    },
    SLOW,
  );

  it(
    'an endpoint that does not answer is named',
    async () => {
      const run = await runCli(tencentDetach, {
        ...env(),
        REMEDIATE_TENCENT_ENDPOINT: 'http://127.0.0.1:1',
        REMEDIATE_DEADLINE_MS: '1500',
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(
        'no answer from the tencent endpoint http://127.0.0.1:1 (REMEDIATE_TENCENT_ENDPOINT)',
      );
    },
    SLOW,
  );
});

describe('colour', () => {
  it('only on a terminal, and never with NO_COLOR', () => {
    expect(colourFor({ isTTY: true }, {}).red('x')).toBe('\u001b[31mx\u001b[0m');
    expect(colourFor({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(colourFor({ isTTY: false }, {}).red('x')).toBe('x');
  });
});

describe('CliRuntime.preflight', () => {
  it(
    'says a missing credential or an unreachable store once, before any request',
    async () => {
      const runtime = openRuntime({
        REMEDIATE_STATE: 'memory',
        TENCENTCLOUD_SECRETID: 'id',
        TENCENTCLOUD_SECRETKEY: 's',
      });
      await expect(runtime.preflight(['tencent', 'tencent'])).resolves.toBeUndefined();
      await expect(runtime.preflight(['tencent', 'huawei'])).rejects.toThrow(
        /huawei credentials: set HUAWEICLOUD_SDK_AK/,
      );
      await runtime.close();
      const redis = openRuntime({ REMEDIATE_STATE: 'redis://127.0.0.1:1' });
      await expect(redis.preflight([])).rejects.toThrow(/Redis is not reachable at 127\.0\.0\.1:1/);
      await redis.close();
    },
    SLOW,
  );
});
