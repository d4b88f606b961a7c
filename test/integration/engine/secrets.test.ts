import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RedisStore } from '../../../shared/state/redis';
import { useSandbox } from '../../helpers/sandbox';
import { alibabaDetach, delivery, engineWorld, makeEngine, user } from './engine-fixture';

// Issue 11 defect 8: the error a handler throws when Redis refuses the password carried it in
// err.cause.command.args. The local Redis has no password: a user and password in the URL make
// ioredis send AUTH, which Redis refuses (WRONGPASS).
const PASSWORD = 'PLANTED-redis-pass-4242';
const sandbox = useSandbox(engineWorld);

describe('credentials never travel in the errors we throw', () => {
  it('a Redis store refusing the password: the thrown error and its causes hold neither password nor user', async () => {
    const store = new RedisStore({
      url: `redis://intruder-user:${PASSWORD}@127.0.0.1:6379`,
      keyPrefix: `secrets-test:${process.pid}:`,
    });
    try {
      const { engine } = makeEngine(sandbox.current, { store });
      const thrown = await engine.handle(alibabaDetach(user('admin00')), delivery('secret-1')).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(thrown).toBeInstanceOf(Error);
      const everything = `${inspect(thrown, { depth: Number.POSITIVE_INFINITY, showHidden: true })}${JSON.stringify(thrown)}`;
      expect(everything).toMatch(/WRONGPASS|not reachable/);
      expect(everything).not.toContain(PASSWORD);
      expect(everything).not.toContain('intruder-user');
      // Nothing reached the cloud: the claim could not be taken.
      expect(sandbox.current.calls.totals().mutating).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('DEBUG=* does not make ioredis print the AUTH password, even with the SDKs loaded first', () => {
    const root = resolve(__dirname, '../../..');
    const script = [
      "require('./shared/providers/tencent/client');",
      "require('./shared/providers/alibaba/client');",
      "const { RedisStore } = require('./shared/state/redis');",
      `const s = new RedisStore({ url: 'redis://intruder-user:${PASSWORD}@127.0.0.1:6379', keyPrefix: 'dbg:' });`,
      's.countDeadLetters().catch(() => {}).finally(() => s.close());',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: root,
      env: { ...process.env, DEBUG: '*' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain(PASSWORD);
  });
});
