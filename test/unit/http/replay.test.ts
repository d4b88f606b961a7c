import pino from 'pino';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { handler as alibabaHttp } from '../../../functions/http-invoke/alibaba';
import { FunctionRuntime } from '../../../functions/runtime';
import { fcHttpEvent } from '../../../local/platform-events';
import { EMPTY_RULES } from '../../../shared/config/rules';
import { Engine } from '../../../shared/engine/engine';
import type { HttpRequestEvent } from '../../../shared/events/types';
import { handleInvoke } from '../../../shared/http/invoke';
import { signBody } from '../../../shared/http/signature';
import { FC } from '../../../shared/platform/fc';
import { ALL_CLOUDS } from '../../../shared/providers/all';
import { MemoryStore } from '../../../shared/state/memory';
import type { StateStore } from '../../../shared/state/types';

// Issue 11 defect 6: the three replay scenarios. Bodies are dry-run orders the validation refuses
// (400) once past the signature checks, so "accepted" is any answer other than 401.
const SECRET = 'replay-secret-0123456789abcdef';
const BODY = JSON.stringify({ requests: [{ provider: 'alibaba' }] });
const T = 1_800_000_000;

/** A store shared by instances whose clock is the store's own (as Redis TIME and PX expiry are). */
function sharedStore(clock: { ms: number }): StateStore {
  const store = new MemoryStore();
  return Object.assign(Object.create(store) as StateStore, {
    now: async () => clock.ms,
    rememberOnce: (key: string, ttlMs: number) => store.rememberOnce(key, ttlMs, clock.ms),
  });
}

function instance(store: StateStore) {
  const engine = new Engine({
    clouds: ALL_CLOUDS,
    store,
    rules: EMPTY_RULES,
    logger: pino({ level: 'silent' }),
    dryRun: false,
  });
  // No call is expected: every body is refused before a cloud is reached.
  const context = {
    credentials: { accessKeyId: 'x', accessKeySecret: 'y' },
    endpoint: 'http://127.0.0.1:9',
    timeoutMs: 1_000,
  };
  return (http: HttpRequestEvent) =>
    handleInvoke(http, {
      engine,
      store,
      secret: SECRET,
      deadline: Date.now() + 10_000,
      context,
      onPlatform: true,
    });
}

const post = (signature: string, headers: Record<string, string> = {}): HttpRequestEvent => ({
  method: 'POST',
  path: '/',
  headers: { 'x-remediate-signature': signature, ...headers },
  body: BODY,
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('HTTP replay (issue 11 defect 6)', () => {
  test('(a) a signature is remembered for as long as its timestamp keeps it valid: no replay is ever accepted', async () => {
    // Dated now, a little ahead, and as far ahead as the old check took (+300 s); each sent at T, then
    // replayed every half second for 11 minutes: each may be accepted once at most.
    for (const ahead of [0, 30, 300]) {
      const clock = { ms: T * 1000 };
      const invoke = instance(sharedStore(clock));
      const signature = signBody(SECRET, BODY, T + ahead);
      let accepted = 0;
      for (let offsetMs = 0; offsetMs <= 660_000; offsetMs += 500) {
        clock.ms = T * 1000 + offsetMs;
        if ((await invoke(post(signature))).statusCode !== 401) accepted++;
      }
      expect(accepted, `signed ${ahead} s ahead`).toBeLessThanOrEqual(1);
    }
  });

  test('(b) an instance whose clock is 10 minutes slow, sharing the store, refuses a replay at +602 s', async () => {
    const clock = { ms: T * 1000 };
    const store = sharedStore(clock);
    const signature = signBody(SECRET, BODY, T);
    expect((await instance(store)(post(signature))).statusCode).toBe(400);
    clock.ms += 602_000;
    // The slow instance's own clock says T + 2 s; only the store's clock counts.
    vi.spyOn(Date, 'now').mockReturnValue(T * 1000 + 2_000);
    const replay = await instance(store)(post(signature));
    expect(replay.statusCode).toBe(401);
  });

  test('(d) a captured request replayed under a new Idempotency-Key does not verify', async () => {
    const clock = { ms: T * 1000 };
    const invoke = instance(sharedStore(clock));
    const signature = signBody(SECRET, BODY, T, 'change-1');
    expect((await invoke(post(signature, { 'idempotency-key': 'change-1' }))).statusCode).toBe(400);
    const replay = await invoke(post(signature, { 'idempotency-key': 'change-2' }));
    expect(replay).toMatchObject({ statusCode: 401, body: expect.stringMatching(/mismatch/) });
  });

  describe('(c) on a platform, http-invoke refuses a state store other instances cannot see', () => {
    const run = async (env: Record<string, string>) => {
      const runtime = new FunctionRuntime(env);
      const body = post(signBody(SECRET, BODY, Math.floor(Date.now() / 1000)));
      const call = FC.fake(fcHttpEvent('POST', '/', body.headers, body.body), {
        credentials: { accessKeyId: 'STS.x', accessKeySecret: 'secret-x' },
        timeoutMs: 10_000,
      });
      try {
        return (await alibabaHttp.on(runtime)(call.event, call.context)) as {
          statusCode: number;
          body: string;
        };
      } finally {
        await runtime.close();
      }
    };
    const base = { REMEDIATE_STATE: 'memory', REMEDIATE_HTTP_SECRET: SECRET, LOG_LEVEL: 'silent' };

    test('memory state in an FC instance: 500 naming REMEDIATE_STATE and the single-instance switch', async () => {
      const reply = await run({ ...base, FC_FUNCTION_NAME: 'http-invoke' });
      expect(reply.statusCode).toBe(500);
      expect(reply.body).toMatch(/REMEDIATE_STATE=redis/);
      expect(reply.body).toMatch(/REMEDIATE_HTTP_SINGLE_INSTANCE=true/);
    });

    test('told it runs as a single instance, or off any platform, it serves', async () => {
      const single = await run({
        ...base,
        FC_FUNCTION_NAME: 'http-invoke',
        REMEDIATE_HTTP_SINGLE_INSTANCE: 'true',
      });
      expect(single.statusCode).toBe(400);
      const local = await run(base);
      expect(local.statusCode).toBe(400);
    });
  });
});
