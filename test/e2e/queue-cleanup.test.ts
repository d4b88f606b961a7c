import { describe, expect, test } from 'vitest';
import { NO_FAULTS, parseFaultSpec } from '../../infra/sandbox/faults';
import { CLOUDS, mutatingCalls, queueBatch, type Settlement, useE2E } from './harness';
import { ORDERS, type Order } from './scenarios';

const e2e = useE2E();

const statuses = (settlement: Settlement) =>
  settlement.outcomes.map((o) => (o.reason ? `${o.status}:${o.reason}` : o.status));
const expected = (orders: readonly Order[]) =>
  orders.map((o) => (o.reason ? `${o.expect}:${o.reason}` : o.expect));

describe.each(CLOUDS)('queue-cleanup on %s (built bundle)', (cloud) => {
  const scenario = ORDERS[cloud];
  const applied = () => mutatingCalls(e2e.sandbox).filter((c) => c.applied).length;

  test('a batch settles each message; the same batch redelivered makes no second call', async () => {
    const { sandbox } = e2e;
    const batch = queueBatch(
      cloud,
      scenario.orders.map((o) => o.body),
    );
    const fn = e2e.instance(cloud, 'queue-cleanup');

    const first = (await fn.invoke(batch)) as Settlement;
    expect(statuses(first)).toEqual(expected(scenario.orders));
    expect(first.outcomes.every((o) => o.duplicate === undefined)).toBe(true);
    for (const order of scenario.orders.filter((o) => o.expect === 'detached'))
      expect(scenario.present(sandbox, order)).toBe(false);
    const detached = scenario.orders.filter((o) => o.expect === 'detached').length;
    expect(applied()).toBe(detached);
    const mutating = mutatingCalls(sandbox).length;

    // The platform delivers the batch again (a lost acknowledgement), to this instance and to another one.
    for (const instance of [fn, e2e.instance(cloud, 'queue-cleanup', fn.state)]) {
      const again = (await instance.invoke(batch)) as Settlement;
      expect(statuses(again)).toEqual(expected(scenario.orders));
      // Settled outcomes come back from the store; a skip (exempt) is decided again, without a call either.
      for (const outcome of again.outcomes)
        expect(outcome.duplicate).toBe(outcome.status === 'skipped' ? undefined : true);
    }
    expect(mutatingCalls(sandbox)).toHaveLength(mutating);
    expect(applied()).toBe(detached);
  });

  test('a batch in which every message fails transiently fails, so the platform redelivers it', async () => {
    const { sandbox } = e2e;
    const orders = scenario.orders.slice(0, 2);
    const batch = queueBatch(
      cloud,
      orders.map((o) => o.body),
    );
    const fn = e2e.instance(cloud, 'queue-cleanup');
    // Every call of this cloud answers its 5xx error after 250 ms. With a 2 s function time-out the
    // adapter leaves a 1 s budget (time-out less its 1.5 s margin, never under 1 s): the retries meet the
    // deadline before their six attempts could run out, so every message ends retry-later.
    sandbox.faults.set(parseFaultSpec(`5xx=1,latency=250,cloud=${cloud}`));

    const started = Date.now();
    await expect(fn.invoke(batch, { timeoutMs: 2_000 })).rejects.toMatchObject({
      name: 'RetryLaterError',
      message: `${orders.length} of ${orders.length} requests must be retried`,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    const tried = mutatingCalls(sandbox);
    expect(tried.length).toBeGreaterThanOrEqual(orders.length);
    expect(tried.every((c) => !c.applied && c.fault === '5xx')).toBe(true);
    for (const order of orders.filter((o) => o.expect === 'detached'))
      expect(scenario.present(sandbox, order)).toBe(true);

    // Nothing was settled, so the redelivery, once the cloud has recovered, does the work.
    sandbox.faults.set(NO_FAULTS);
    const redelivered = (await fn.invoke(batch, { timeoutMs: 2_000 })) as Settlement;
    expect(statuses(redelivered)).toEqual(expected(orders));
    expect(redelivered.outcomes.every((o) => o.duplicate === undefined)).toBe(true);
    for (const order of orders.filter((o) => o.expect === 'detached'))
      expect(scenario.present(sandbox, order)).toBe(false);
  });

  test('an invalid message is dead-lettered invalid-input and the batch succeeds', async () => {
    const { sandbox } = e2e;
    const [valid] = scenario.orders;
    if (!valid) throw new Error('no order');
    const batch = queueBatch(cloud, [valid.body, scenario.invalid.body, 'this is not JSON']);
    const settlement = (await e2e.instance(cloud, 'queue-cleanup').invoke(batch)) as Settlement;

    expect(statuses(settlement)).toEqual([
      valid.expect,
      'dead-lettered:invalid-input',
      'dead-lettered:invalid-input',
    ]);
    expect(settlement.outcomes[1]).toMatchObject({ attempts: 0 });
    expect(settlement.outcomes[1]?.hint).toMatch(new RegExp(`^${scenario.invalid.field}: `));
    // A body that is not JSON is named as such.
    expect(settlement.outcomes[2]?.hint).toBe('body: is not valid JSON');
    expect(settlement.counts).toEqual({ [valid.expect]: 1, 'dead-lettered': 2 });
    // Only the valid message reached the cloud.
    expect(mutatingCalls(sandbox)).toHaveLength(1);
  });
});
