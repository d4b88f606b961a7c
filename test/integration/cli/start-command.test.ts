import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tencentClient } from '../../../local/sdk-clients';

const dir = mkdtempSync(join(tmpdir(), 'remediate-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Its own HOME and state: npm start in a test never writes to the user's or the checkout's .remediate/. */
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(REMEDIATE_|LOG_LEVEL$|ALIBABA_CLOUD_|TENCENTCLOUD_|HUAWEICLOUD_)/.test(name),
    ),
  );
  return {
    ...clean,
    HOME: join(dir, 'home'),
    REMEDIATE_STATE: `sqlite:${join(dir, 'state', 'state.db')}`,
    ...extra,
  };
};
const START = ['--import', 'tsx', 'cli/start.ts'];
const SLOW = 120_000;

describe('npm start', () => {
  it(
    '--once plays the demo through the three functions on every cloud and exits 0, in the state it is given',
    () => {
      const checkoutState = existsSync('.remediate');
      const result = spawnSync(process.execPath, [...START, '--once'], { encoding: 'utf8', env: env() });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/sandbox cloud http:\/\/127\.0\.0\.1:\d+/);
      expect(result.stdout).toMatch(/http secret +[0-9a-f]{48} \(generated; set REMEDIATE_HTTP_SECRET/);
      expect(result.stdout).toContain(`state         sqlite:${join(dir, 'state', 'state.db')}`);
      for (const section of ['audit-log', 'queue-cleanup', 'http-invoke'])
        expect(result.stdout).toContain(`  ${section}: `);
      for (const cloud of ['alibaba', 'tencent', 'huawei'])
        expect(result.stdout).toMatch(new RegExp(`✓ ${cloud} `));
      expect(result.stdout).not.toContain('✗');
      expect(result.stdout).toMatch(/dead-lettered \(last-policy\)/);
      expect(result.stdout).toMatch(/(\d+) of \1 cases ended as expected/);
      // It created the store it was given, and nothing in the checkout or HOME.
      expect(existsSync(join(dir, 'state', 'state.db'))).toBe(true);
      expect(existsSync(join(dir, 'home', '.remediate'))).toBe(false);
      expect(existsSync('.remediate')).toBe(checkoutState);
    },
    SLOW,
  );

  it(
    'honours REMEDIATE_RULES and REMEDIATE_HTTP_SECRET, and refuses a bad variable with exit 2',
    () => {
      const rules = join(dir, 'rules.yaml');
      writeFileSync(rules, 'version: 1\n');
      const secret = 'a-secret-of-my-own-choosing';
      const result = spawnSync(process.execPath, [...START, '--once'], {
        encoding: 'utf8',
        env: env({ REMEDIATE_RULES: rules, REMEDIATE_HTTP_SECRET: secret }),
      });
      expect(result.stdout).toContain(`http secret   ${secret} (REMEDIATE_HTTP_SECRET)`);
      expect(result.stdout).toMatch(new RegExp(`rules .*${rules.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      // Without the demo's rules, audit-log acts on nothing: the audit cases do not end as the demo expects.
      expect(result.stdout).toMatch(/✗ /);
      expect(result.status).toBe(1);

      const bad = spawnSync(process.execPath, [...START, '--once'], {
        encoding: 'utf8',
        env: env({ REMEDIATE_HTTP_SECRET: 'short' }),
      });
      expect([bad.status, bad.stderr]).toEqual([
        2,
        expect.stringMatching(/REMEDIATE_HTTP_SECRET: must be at least 16/),
      ]);
    },
    SLOW,
  );

  it('--help prints its options, --port among them', () => {
    const result = spawnSync(process.execPath, [...START, '--help'], { encoding: 'utf8', env: env() });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm start/);
    expect(result.stdout).toMatch(/--port N/);
  });

  it(
    'while serving, prints one line per remediation of an attach made to the sandbox',
    async () => {
      const child = spawn(process.execPath, [...START, '--port', '0', '--http-port', '0'], { env: env() });
      try {
        const url = await waitFor(child, /Serving until Ctrl-C/).then(
          (out) => /sandbox cloud (\S+)/.exec(out)?.[1] as string,
        );
        await tencentClient(url).AttachPolicy({
          PolicyId: 100002,
          TargetId: 1001,
          TargetType: 'NODE',
          Type: 'SERVICE_CONTROL_POLICY',
        });
        const out = await waitFor(child, /audit-log +tencent +detached/);
        expect(out).toMatch(
          /\d\d:\d\d:\d\d {2}audit-log +tencent +detached {2}tencent\/detach-policy {2}NODE:1001/,
        );
      } finally {
        child.kill('SIGINT');
        await once(child, 'exit');
      }
    },
    SLOW,
  );
});

function waitFor(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk;
      if (pattern.test(out)) {
        child.stdout?.off('data', onData);
        resolve(out);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`npm start exited ${code} before printing ${pattern}:\n${out}`)),
    );
  });
}
