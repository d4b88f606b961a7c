import pino from 'pino';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { parseFaultSpec } from '../../../sandbox/faults';
import { loadSeed } from '../../../sandbox/seeds';
import { EMPTY_RULES } from '../../../shared/config/rules';
import { Engine } from '../../../shared/engine/engine';
import type { HttpReply, HttpRequestEvent } from '../../../shared/events/types';
import { handleInvoke, type InvokeDependencies } from '../../../shared/http/invoke';
import { signBody } from '../../../shared/http/signature';
import type { Outcome } from '../../../shared/outcomes';
import { ALL_CLOUDS } from '../../../shared/providers/all';
import { MemoryStore } from '../../../shared/state/memory';
import { FAST_RETRIES, SANDBOX_CREDENTIALS } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';

const SECRET = 'invoke-secret-0123456789abcdef';
const sandbox = useSandbox(() => loadSeed('demo'));

/** Orders in the demo world: one the cloud detaches, one already gone. */
const DETACH = {
  provider: 'huawei',
  operation: 'detach-agency-policy',
  policyId: 'a5c0e3f1-full-access',
  agencyId: '5b3e0c1f-ci-deployer',
};
const GONE = { ...DETACH, policyId: 'b7d1f4a2-readonly-access' };

/** One function instance: the real engine over a state store, against the sandbox. */
function instance(store = new MemoryStore()) {
  const engine = new Engine({
    clouds: ALL_CLOUDS,
    store,
    rules: EMPTY_RULES,
    logger: pino({ level: 'silent' }),
    dryRun: false,
    retryPolicies: FAST_RETRIES,
  });
  return (http: HttpRequestEvent, overrides: Partial<InvokeDependencies> = {}) =>
    handleInvoke(http, {
      engine,
      store,
      secret: SECRET,
      deadline: Date.now() + 10_000,
      context: { credentials: SANDBOX_CREDENTIALS, endpoint: sandbox.current.url, timeoutMs: 2_000 },
      onPlatform: true,
      ...overrides,
    });
}

const now = () => Math.floor(Date.now() / 1000);

/** A request as the HTTP trigger parsers hand it over (header names lower-cased). */
function request(
  body: string,
  options: { at?: number; secret?: string; headers?: Record<string, string>; method?: string } = {},
): HttpRequestEvent {
  return {
    method: options.method ?? 'POST',
    path: '/',
    headers: {
      'content-type': 'application/json',
      'x-remediate-signature': signBody(
        options.secret ?? SECRET,
        body,
        options.at ?? now(),
        options.headers?.['idempotency-key'],
      ),
      ...options.headers,
    },
    body,
  };
}

const orders = (...requests: unknown[]) => JSON.stringify({ requests });

function read(reply: HttpReply): { status: number; outcomes: Outcome[]; error?: string } {
  const body = JSON.parse(reply.body) as { outcomes?: Outcome[]; error?: string };
  return { status: reply.statusCode, outcomes: body.outcomes ?? [], error: body.error };
}

const calls = () => sandbox.current.calls.totals();

beforeEach(() => {
  sandbox.current.reset();
});

describe('handleInvoke: authentication', () => {
  test('a signed request is acted on: 200, one outcome per request, in order', async () => {
    const invoke = instance();
    const reply = await invoke(request(orders(DETACH, GONE)));
    expect(reply.headers['content-type']).toBe('application/json');
    const answer = read(reply);
    expect(answer.status).toBe(200);
    expect(answer.outcomes.map((o) => o.status)).toEqual(['detached', 'already-compliant']);
    expect(answer.outcomes[0]).toMatchObject({
      operation: 'huawei/detach-agency-policy',
      target: 'agency:5b3e0c1f-ci-deployer policy:a5c0e3f1-full-access',
    });
    expect(calls().applied).toBe(1);
  });

  test.each([
    ['missing', { 'x-remediate-signature': '' }, 'signature missing'],
    ['malformed', { 'x-remediate-signature': 'v1=abc' }, 'signature malformed'],
    [
      'forged (wrong secret)',
      { 'x-remediate-signature': signBody('not-the-secret-at-all', orders(DETACH), now()) },
      'signature mismatch',
    ],
    [
      'expired (6 minutes old)',
      { 'x-remediate-signature': signBody(SECRET, orders(DETACH), now() - 360) },
      'signature expired',
    ],
    [
      'for another body',
      { 'x-remediate-signature': signBody(SECRET, orders(GONE), now()) },
      'signature mismatch',
    ],
  ])('%s: 401 and no call', async (_name, headers, error) => {
    const reply = await instance()(request(orders(DETACH), { headers }));
    expect(read(reply)).toEqual({ status: 401, outcomes: [], error });
    expect(calls().total).toBe(0);
  });

  test('the clock is the deps clock: a signature 301 s old is expired, 300 s old is not', async () => {
    const body = orders({ ...DETACH, dryRun: true });
    const t = now();
    const at = (seconds: number) => ({ now: () => (t + seconds) * 1000 });
    expect(read(await instance()(request(body, { at: t }), at(301))).status).toBe(401);
    expect(read(await instance()(request(body, { at: t }), at(300))).status).toBe(200);
  });

  test('a replayed request: 401, no second call, even on another instance sharing the store', async () => {
    const store = new MemoryStore();
    const signed = request(orders(DETACH));
    expect(read(await instance(store)(signed)).status).toBe(200);
    expect(read(await instance(store)(signed))).toEqual({
      status: 401,
      outcomes: [],
      error: 'signature replayed',
    });
    expect(read(await instance(store)(signed)).error).toBe('signature replayed');
    expect(calls().mutating).toBe(1);
  });

  test('without REMEDIATE_HTTP_SECRET nothing is acted on: 500', async () => {
    const reply = await instance()(request(orders(DETACH)), { secret: undefined });
    expect(read(reply)).toMatchObject({
      status: 500,
      error: expect.stringContaining('REMEDIATE_HTTP_SECRET'),
    });
    expect(calls().total).toBe(0);
  });

  test('only POST: 405 with Allow', async () => {
    const reply = await instance()(request(orders(DETACH), { method: 'get' }));
    expect(reply.statusCode).toBe(405);
    expect(reply.headers.allow).toBe('POST');
    expect(calls().total).toBe(0);
  });
});

describe('handleInvoke: the body', () => {
  test.each([
    ['not JSON', '{"requests":', 'body: not valid JSON'],
    [
      'an unknown field',
      JSON.stringify({ requests: [DETACH], force: true }),
      'force: is not a field of the body',
    ],
    ['no requests', JSON.stringify({ dryRun: true }), /^requests: /],
    ['an empty list', orders(), /^requests: /],
    ['more than 100 requests', orders(...Array.from({ length: 101 }, () => DETACH)), /^requests: /],
    ['dryRun not a boolean', JSON.stringify({ requests: [DETACH], dryRun: 'yes' }), /^dryRun: /],
    ['a list, not an object', JSON.stringify([DETACH]), /^body: /],
    [
      'a bad field in the second request',
      orders(DETACH, { ...DETACH, agencyId: 'ci deployer!' }),
      /^requests\.1\.agencyId: may contain only/,
    ],
    ['a missing field', orders({ ...DETACH, agencyId: undefined }), 'requests.0.agencyId: is required'],
    [
      'an unknown operation',
      orders({ ...DETACH, operation: 'delete-agency' }),
      /^requests\.0\.operation: unknown operation/,
    ],
    [
      'a field of another operation',
      orders({ ...DETACH, cascade: true }),
      'requests.0.cascade: is not a field of this operation',
    ],
  ])('%s: 400 naming the field, and no call', async (_name, body, error) => {
    const answer = read(await instance()(request(body)));
    expect(answer.status).toBe(400);
    expect(answer.outcomes).toEqual([]);
    if (typeof error === 'string') expect(answer.error).toBe(error);
    else expect(answer.error).toMatch(error);
    expect(calls().total).toBe(0);
  });

  test('dryRun: the whole pipeline, no mutating call, outcomes skipped', async () => {
    const answer = read(
      await instance()(request(JSON.stringify({ requests: [DETACH, GONE], dryRun: true }))),
    );
    expect(answer.status).toBe(200);
    expect(answer.outcomes.map((o) => o.status)).toEqual(['skipped', 'skipped']);
    expect(calls().mutating).toBe(0);
  });
});

describe('handleInvoke: idempotency', () => {
  test('the same order signed anew with the same Idempotency-Key: the stored outcome, no second call', async () => {
    const invoke = instance();
    const body = orders(DETACH);
    const key = { 'idempotency-key': 'change-4711' };
    const t = now();
    expect(read(await invoke(request(body, { at: t, headers: key }))).outcomes[0]?.status).toBe('detached');
    const again = read(await invoke(request(body, { at: t - 1, headers: key })));
    expect(again.status).toBe(200);
    expect(again.outcomes[0]).toMatchObject({ status: 'detached', duplicate: true });
    expect(calls().mutating).toBe(1);
  });

  test('without an Idempotency-Key the body is the key', async () => {
    const invoke = instance();
    const body = orders(DETACH);
    const t = now();
    expect(read(await invoke(request(body, { at: t }))).outcomes[0]?.status).toBe('detached');
    expect(read(await invoke(request(body, { at: t - 1 }))).outcomes[0]).toMatchObject({ duplicate: true });
    expect(calls().mutating).toBe(1);
  });

  test('another instance holding the claim: 409 with Retry-After, and no call from this one', async () => {
    const store = new MemoryStore();
    const [first, second] = [instance(store), instance(store)];
    const body = orders(DETACH);
    const key = { 'idempotency-key': 'change-4712' };
    const t = now();
    // The first instance's call takes 500 ms; its reaching the sandbox means the claim is taken.
    sandbox.current.faults.set(parseFaultSpec('latency=500,mutating-only'));
    const decide = sandbox.current.faults.decide.bind(sandbox.current.faults);
    const reached = new Promise<void>((resolve) => {
      vi.spyOn(sandbox.current.faults, 'decide').mockImplementation((...args) => {
        if (args[2]) resolve();
        return decide(...args);
      });
    });
    const inFlight = first(request(body, { at: t, headers: key }));
    await reached;
    vi.restoreAllMocks();

    const busy = await second(request(body, { at: t - 1, headers: key }));
    expect(busy.statusCode).toBe(409);
    expect(busy.headers['retry-after']).toMatch(/^\d+$/);
    expect(read(busy).outcomes).toEqual([
      expect.objectContaining({
        status: 'retry-later',
        attempts: 0,
        hint: expect.stringMatching(/^claimed elsewhere until /),
      }),
    ]);
    expect(read(await inFlight).outcomes[0]?.status).toBe('detached');
    expect(calls().mutating).toBe(1);
  });
});
