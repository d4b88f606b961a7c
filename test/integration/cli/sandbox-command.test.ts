import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const BIN = ['bin/remediate.js'];

describe('remediate sandbox', () => {
  it('serves on the requested port until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, [...BIN, 'sandbox', '--port', '0', '--seed', 'empty', '--json']);
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { url } = JSON.parse(line) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/_sandbox/health`);
    expect(await health.json()).toEqual({ ok: true });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it.each([
    [['--port', 'abc'], /--port: must be an integer/],
    [['--seed', '/nonexistent/world.json'], /--seed: .*ENOENT/],
    [['--faults', '5xx=2'], /--faults: rates\.5xx/],
  ])('refuses %j with exit code 2 and the flag named', (args, message) => {
    const result = spawnSync(process.execPath, [...BIN, 'sandbox', ...args], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
