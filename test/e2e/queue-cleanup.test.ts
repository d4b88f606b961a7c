import { describe, expect, test } from 'vitest';
import { NO_FAULTS, parseFaultSpec } from '../../sandbox/faults';
import { openStateStore } from '../../shared/state/open';
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
    sandbox.faults.set(parseFaultSpec(`5xx=1,latency=250,cloud=${cloud},mutating-only`));

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

  test('a poisoned batch: the good messages settle, deep / huge / id-less ones are dead-lettered once', async () => {
    const { sandbox } = e2e;
    const goods = scenario.orders.slice(0, 3);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const base64 = 'QUFB'.repeat(2 * 1024 * 1024); // 8 MiB
    const bodies = [goods[0]?.body, deep, goods[1]?.body, base64, goods[2]?.body, goods[2]?.body];
    const batch = withoutAnId(cloud, queueBatch(cloud, bodies));
    const fn = e2e.instance(cloud, 'queue-cleanup');

    const first = (await fn.invoke(batch)) as Settlement;
    const good = expected(goods);
    expect(statuses(first)).toEqual([
      good[0],
      'dead-lettered:invalid-input',
      good[1],
      'dead-lettered:invalid-input',
      'dead-lettered:invalid-input',
      good[2],
    ]);
    expect(first.outcomes[1]?.hint).toMatch(/nests deeper than/);
    expect(first.outcomes[4]?.hint).toMatch(/messageId|topic/);
    const letters = await deadLetterCount(fn);
    expect(letters).toBe(3 + goods.filter((o) => o.expect === 'dead-lettered').length);

    // Delivered again: the same outcomes, no new dead letter, no new call.
    const mutating = mutatingCalls(sandbox).length;
    const again = (await fn.invoke(batch)) as Settlement;
    expect(statuses(again)).toEqual(statuses(first));
    expect(await deadLetterCount(fn)).toBe(letters);
    expect(mutatingCalls(sandbox)).toHaveLength(mutating);
  });
});

/** The fifth record of the batch loses what names it: its message id, or its Kafka topic. */
function withoutAnId(cloud: string, batch: unknown): unknown {
  if (cloud === 'alibaba') {
    const events = batch as { data: { messageId: string } }[];
    (events[4] as { data: { messageId: string } }).data.messageId = '';
    return events;
  }
  if (cloud === 'tencent') {
    const event = batch as { Records: { CMQ: { msgBody: string } }[] };
    const body = event.Records[4]?.CMQ.msgBody;
    event.Records[4] = { Ckafka: { partition: 0, offset: 4, msgBody: body } } as never;
    return event;
  }
  const event = batch as { records: { messages: string[]; topic_id?: string }[] };
  const record = event.records[0] as { messages: string[]; topic_id?: string };
  const [fifth, sixth] = record.messages.splice(4, 2);
  event.records.push(
    { messages: [fifth as string] },
    { topic_id: record.topic_id, messages: [sixth as string] },
  );
  return event;
}

/** Dead letters in an instance's state store. */
async function deadLetterCount(fn: { state: string }): Promise<number> {
  const store = openStateStore(fn.state);
  try {
    return await store.countDeadLetters();
  } finally {
    await store.close();
  }
}
