import { describe, expect, test, vi } from 'vitest';
import { parseFaultSpec } from '../../sandbox/faults';
import { CLOUDS, HTTP_SECRET, httpEvent, mutatingCalls, readHttp, signedHeaders, useE2E } from './harness';
import { ORDERS } from './scenarios';

const e2e = useE2E();

const RESPONSE_KEYS = ['body', 'headers', 'isBase64Encoded', 'statusCode'];
const now = () => Math.floor(Date.now() / 1000);

describe.each(CLOUDS)('http-invoke on %s (built bundle)', (cloud) => {
  const scenario = ORDERS[cloud];
  const [order] = scenario.orders;
  if (!order) throw new Error('no order');
  const body = JSON.stringify({ requests: [order.body] });

  test('a signed request is acted on: 200 with one outcome per request, in the platform response shape', async () => {
    const { sandbox } = e2e;
    const fn = e2e.warm(cloud, 'http-invoke');
    const answer = readHttp(await fn.invoke(httpEvent(cloud, body, signedHeaders(body))));

    expect(answer.statusCode).toBe(200);
    expect(answer.keys).toEqual(RESPONSE_KEYS);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.body.outcomes).toHaveLength(1);
    expect(answer.body.outcomes?.[0]).toMatchObject({ status: order.expect, attempts: 1 });
    expect(scenario.present(sandbox, order)).toBe(false);
    expect(mutatingCalls(sandbox).filter((c) => c.applied)).toHaveLength(1);
  });

  test('unsigned, forged, expired and malformed signatures: 401 and no call', async () => {
    const { sandbox } = e2e;
    const fn = e2e.warm(cloud, 'http-invoke');
    const cases = {
      unsigned: { 'content-type': 'application/json' },
      forged: signedHeaders(body, { secret: `${HTTP_SECRET}-not` }),
      // Signed with the right secret six minutes ago: past the five-minute window.
      expired: signedHeaders(body, { at: now() - 6 * 60 }),
      // A signature for another body.
      'for another body': signedHeaders(JSON.stringify({ requests: [order.body], dryRun: true })),
      malformed: { 'X-Remediate-Signature': 'sha256=deadbeef' },
    };
    const reasons: Record<string, string | undefined> = {};
    for (const [name, headers] of Object.entries(cases)) {
      const answer = readHttp(await fn.invoke(httpEvent(cloud, body, headers)));
      expect(answer.statusCode, name).toBe(401);
      expect(answer.keys).toEqual(RESPONSE_KEYS);
      reasons[name] = answer.body.error;
    }
    expect(reasons).toEqual({
      unsigned: 'signature missing',
      forged: 'signature mismatch',
      expired: 'signature expired',
      'for another body': 'signature mismatch',
      malformed: 'signature malformed',
    });
    expect(sandbox.calls.totals().total).toBe(0);
    expect(scenario.present(sandbox, order)).toBe(true);
  });

  test('a function deployed without a role answers 500 in the platform shape, and makes no call', async () => {
    const { sandbox } = e2e;
    const fn = e2e.warm(cloud, 'http-invoke');
    const answer = readHttp(await fn.invoke(httpEvent(cloud, body, signedHeaders(body)), { noRole: true }));
    expect(answer.statusCode).toBe(500);
    expect(answer.keys).toEqual(RESPONSE_KEYS);
    expect(answer.body).toEqual({ error: 'internal error' });
    expect(sandbox.calls.totals().total).toBe(0);
  });

  test('a replayed request: 401 and no second call, on this instance or another', async () => {
    const { sandbox } = e2e;
    const fn = e2e.instance(cloud, 'http-invoke');
    const event = httpEvent(cloud, body, signedHeaders(body));
    expect(readHttp(await fn.invoke(event)).statusCode).toBe(200);
    const calls = sandbox.calls.totals().total;

    for (const instance of [fn, e2e.instance(cloud, 'http-invoke', fn.state)]) {
      const replay = readHttp(await instance.invoke(event));
      expect(replay.statusCode).toBe(401);
      expect(replay.body).toEqual({ error: 'signature replayed' });
    }
    expect(sandbox.calls.totals().total).toBe(calls);
    expect(mutatingCalls(sandbox)).toHaveLength(1);
  });

  test('an invalid request in the body: 400 naming the field, and no call', async () => {
    const { sandbox } = e2e;
    const fn = e2e.warm(cloud, 'http-invoke');
    const invalid = JSON.stringify({ requests: [order.body, scenario.invalid.body] });
    const answer = readHttp(await fn.invoke(httpEvent(cloud, invalid, signedHeaders(invalid))));
    expect(answer.statusCode).toBe(400);
    expect(answer.keys).toEqual(RESPONSE_KEYS);
    expect(answer.body.error).toMatch(new RegExp(`^requests\\.1\\.${scenario.invalid.field}: `));

    const unknownField = JSON.stringify({ requests: [order.body], force: true });
    const second = readHttp(await fn.invoke(httpEvent(cloud, unknownField, signedHeaders(unknownField))));
    expect(second.statusCode).toBe(400);
    expect(second.body.error).toBe('force: is not a field of the body');

    expect(sandbox.calls.totals().total).toBe(0);
  });

  test('another instance holding the claim: 409 with Retry-After, and no call from this one', async () => {
    const { sandbox } = e2e;
    const state = e2e.newState();
    const [first, second] = [
      e2e.instance(cloud, 'http-invoke', state),
      e2e.instance(cloud, 'http-invoke', state),
    ];
    // Both instances are warm (an unsigned request opens their runtime and is refused, with no call).
    for (const instance of [first, second])
      expect(readHttp(await instance.invoke(httpEvent(cloud, body, {}))).statusCode).toBe(401);
    // The mutating call takes 1 s: the first instance holds the claim meanwhile. The call reaching the
    // sandbox (seen where the sandbox decides its faults) means the claim is taken.
    sandbox.faults.set(parseFaultSpec(`latency=1000,mutating-only,cloud=${cloud}`));
    const decide = sandbox.faults.decide.bind(sandbox.faults);
    let reached = () => {};
    const callReached = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const spy = vi.spyOn(sandbox.faults, 'decide').mockImplementation((...args) => {
      if (args[2]) reached();
      return decide(...args);
    });
    const key = `order-${cloud}-${Date.now()}`;
    // Each delivery is signed anew: a different t makes a different signature (the same one is a replay).
    const t = now();

    const inFlight = first.invoke(
      httpEvent(cloud, body, signedHeaders(body, { idempotencyKey: key, at: t })),
    );
    await callReached;
    spy.mockRestore();
    // The caller's retry of the same order (same Idempotency-Key) reaches another instance.
    const retry = httpEvent(cloud, body, signedHeaders(body, { idempotencyKey: key, at: t - 1 }));
    const busy = readHttp(await second.invoke(retry));
    expect(busy.statusCode).toBe(409);
    expect(busy.keys).toEqual(RESPONSE_KEYS);
    expect(busy.headers['retry-after']).toMatch(/^\d+$/);
    expect(busy.body.outcomes).toHaveLength(1);
    expect(busy.body.outcomes?.[0]).toMatchObject({ status: 'retry-later', attempts: 0 });
    expect(busy.body.outcomes?.[0]?.hint).toMatch(/^claimed elsewhere until /);

    const done = readHttp(await inFlight);
    expect(done.statusCode).toBe(200);
    expect(done.body.outcomes?.[0]).toMatchObject({ status: order.expect });
    expect(mutatingCalls(sandbox)).toHaveLength(1);

    // Retried after Retry-After: the stored outcome, still no second call.
    const later = httpEvent(cloud, body, signedHeaders(body, { idempotencyKey: key, at: t - 2 }));
    const settled = readHttp(await second.invoke(later));
    expect(settled.statusCode).toBe(200);
    expect(settled.body.outcomes?.[0]).toMatchObject({ status: order.expect, duplicate: true });
    expect(mutatingCalls(sandbox)).toHaveLength(1);
  });
});
