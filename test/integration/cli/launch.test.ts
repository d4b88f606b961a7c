import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve('bin/remediate.js');
const VERSION = (require('../../../package.json') as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), 'remediate-launch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A child environment without a parent's npm settings, as a person's shell would have. */
function env(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

describe('the remediate command starts however it is launched', () => {
  it('through a link named remediate, as npm link and a global install make it', () => {
    const link = join(dir, 'remediate');
    symlinkSync(BIN, link);
    const result = spawnSync(link, ['--help'], { encoding: 'utf8', env: env() });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: remediate /);
    expect(result.stdout).toContain('apply');
  });

  it('through npx remediate in the checkout', () => {
    const result = spawnSync('npx', ['--no-install', 'remediate', '--help'], {
      encoding: 'utf8',
      env: env(),
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: remediate /);
  });

  it('through node bin/remediate.js, printing the package version with --version', () => {
    const result = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env: env() });
    expect([result.status, result.stdout.trim()]).toEqual([0, VERSION]);
  });

  it('an unknown command is an error with exit 2, not silence', () => {
    const result = spawnSync(join(dir, 'remediate'), ['nonsense'], { encoding: 'utf8', env: env() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'nonsense'/);
  });
});
