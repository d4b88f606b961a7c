import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('installing', () => {
  it('npm runs in the checkout without warning about the project configuration', () => {
    const result = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/Unknown project config/);
  });

  it("better-sqlite3's install script is told to compile from source, never to download a binary", () => {
    // prebuild-install runs in node_modules/better-sqlite3 and reads its configuration from there upwards.
    const dir = resolve('node_modules/better-sqlite3');
    const script =
      "console.log(require(require.resolve('prebuild-install/rc', { paths: [process.cwd()] }))(require('./package.json')).buildFromSource)";
    const result = spawnSync(process.execPath, ['-e', script], {
      cwd: dir,
      encoding: 'utf8',
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name))),
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('true');
  });
});
