import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { handleMessages } from '../../../functions/queue-cleanup';
import { EMPTY_RULES } from '../../../shared/config/rules';
import { Engine } from '../../../shared/engine/engine';
import { parseAlibabaAudit } from '../../../shared/events/alibaba/actiontrail';
import { parseAlibabaQueue } from '../../../shared/events/alibaba/mns';
import { fromBase64 } from '../../../shared/events/common';
import { parseHuaweiAudit } from '../../../shared/events/huawei/cts';
import { parseHuaweiQueue } from '../../../shared/events/huawei/queue';
import { parseTencentAudit } from '../../../shared/events/tencent/cloudaudit';
import { parseTencentQueue } from '../../../shared/events/tencent/queue';
import type { Outcome } from '../../../shared/outcomes';
import { ALL_CLOUDS } from '../../../shared/providers/all';
import { MemoryStore } from '../../../shared/state/memory';
import { SANDBOX_CREDENTIALS } from '../../helpers/engine';

/**
 * Issue 11 defects 3–5: input no retry can fix (JSON nested 100,000 deep, megabytes of base64-looking text, a
 * record without its id) never throws out of a parser or the engine, and never takes the good records beside
 * it down with it.
 */

const DEPTH = 100_000;
const DEEP_TEXT = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const deepValue = (): unknown => JSON.parse(DEEP_TEXT);
const BASE64_TEXT = 'QUFB'.repeat(2 * 1024 * 1024); // 8 MiB of base64-looking text

const good = (n: number) =>
  JSON.stringify({
    provider: 'huawei',
    operation: 'detach-agency-policy',
    policyId: `policy-${n}`,
    agencyId: 'agency-1',
  });

function engine(): Engine {
  return new Engine({
    clouds: ALL_CLOUDS,
    store: new MemoryStore(),
    rules: EMPTY_RULES,
    logger: pino({ level: 'silent' }),
    dryRun: true,
  });
}

const delivery = (eventId: string) => ({
  trigger: 'queue' as const,
  eventId,
  explicit: true,
  deadline: Date.now() + 5_000,
  context: { credentials: SANDBOX_CREDENTIALS, endpoint: 'http://127.0.0.1:9', timeoutMs: 1_000 },
  onPlatform: true,
});

describe('poison input', () => {
  it('checks 12 MB of base64-looking text without throwing', () => {
    const text = 'QUFB'.repeat(3 * 1024 * 1024);
    expect(() => fromBase64(text)).not.toThrow();
    expect(fromBase64(text)?.length).toBe(9 * 1024 * 1024);
    expect(fromBase64(`${text}!`)).toBeUndefined();
    expect(fromBase64('QUE=')).toBe('AA');
    expect(fromBase64('QU==E')).toBeUndefined();
    expect(fromBase64('Q===')).toBeUndefined();
  });

  it('dead-letters input nested 100,000 deep as invalid-input, naming the rule, once', async () => {
    const e = engine();
    const first = await e.handleInput(deepValue(), delivery('deep-1'));
    expect(first).toMatchObject({ status: 'dead-lettered', reason: 'invalid-input' });
    expect(first.hint).toMatch(/^body: nests deeper than \d+ levels/);
    const again = await e.handleInput(deepValue(), delivery('deep-1'));
    expect(again).toMatchObject({ status: 'dead-lettered', duplicate: true });
  });

  it('dead-letters a request whose field holds deep JSON', async () => {
    const deepField = { provider: 'huawei', operation: 'detach-agency-policy', policyId: deepValue() };
    const outcome = await engine().handleInput(deepField, delivery('deep-2'));
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'invalid-input' });
  });

  const batches = {
    alibaba: () => {
      const message = (id: string, body: string) => ({
        type: 'mns:Queue:SendMessage',
        data: { messageId: id, messageBody: body },
      });
      return [
        message('m1', good(1)),
        message('m2', DEEP_TEXT),
        message('m3', good(3)),
        message('m4', BASE64_TEXT),
        message('', good(5)),
        message('m6', good(6)),
      ];
    },
    tencent: () => {
      const cmq = (id: string, body: string) => ({ CMQ: { msgId: id, msgBody: body } });
      return {
        Records: [
          cmq('m1', good(1)),
          cmq('m2', DEEP_TEXT),
          cmq('m3', good(3)),
          cmq('m4', BASE64_TEXT),
          { Ckafka: { partition: 0, offset: 5, msgBody: good(5) } },
          cmq('m6', good(6)),
        ],
      };
    },
    huawei: () => ({
      records: [
        { topic_id: 't', messages: [good(1), DEEP_TEXT, good(3), BASE64_TEXT] },
        { messages: [good(5)] },
        { topic_id: 't', messages: [good(6)] },
      ],
    }),
  };
  const parsers = { alibaba: parseAlibabaQueue, tencent: parseTencentQueue, huawei: parseHuaweiQueue };

  it.each(Object.keys(batches) as (keyof typeof batches)[])(
    '%s: a record without its id is one invalid message; the good ones beside it are read',
    async (cloud) => {
      const messages = parsers[cloud](batches[cloud]());
      expect(messages).toHaveLength(6);
      const invalid = messages.filter((m) => m.invalid !== undefined);
      expect(invalid).toHaveLength(1);
      expect(invalid[0]?.invalid?.field).toMatch(/messageId|Ckafka\.topic|topic_id/);
      expect(new Set(messages.map((m) => m.messageId)).size).toBe(6);
      // Each message reaches the engine and gets an outcome; none throws.
      const e = engine();
      const outcomes = await Promise.all(
        messages.map((m) =>
          e.handleInput(
            m.body,
            delivery(`queue:${m.messageId}`),
            m.invalid && { hint: `${m.invalid.field}: ${m.invalid.rule}` },
          ),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual([
        'skipped',
        'dead-lettered',
        'skipped',
        'dead-lettered',
        'dead-lettered',
        'skipped',
      ]);
    },
  );

  it('answers a queue event that is no batch at all with one invalid message, not a throw', () => {
    for (const parse of Object.values(parsers)) {
      for (const event of ['not json', 42, deepValue(), { Records: deepValue() }]) {
        const messages = parse(event);
        expect(messages).toHaveLength(1);
        expect(messages[0]?.invalid).toBeDefined();
      }
    }
  });

  it('audit parsers read deep and huge records without throwing', () => {
    for (const parse of [parseAlibabaAudit, parseTencentAudit, parseHuaweiAudit]) {
      for (const event of [
        deepValue(),
        [deepValue(), { type: 'x:ActionTrail:ApiCall', data: deepValue() }],
        { cts: { trace_name: 'attachAgencyPolicyV5', request: DEEP_TEXT, resource_id: deepValue() } },
        {
          type: 'organization:CloudEvent:ApiCall',
          data: { eventName: 'AttachPolicy', requestParameters: BASE64_TEXT },
        },
        Buffer.from(DEEP_TEXT),
      ]) {
        expect(() => parse(event)).not.toThrow();
      }
    }
  });

  it('a failing message does not return the handler while other messages are still being handled', async () => {
    const finished: string[] = [];
    const stub = {
      handleInput: async (_input: unknown, d: { eventId: string }): Promise<Outcome> => {
        if (d.eventId === 'queue:m0') throw new Error('store refused');
        await new Promise((resolve) => setTimeout(resolve, 30));
        finished.push(d.eventId);
        return { status: 'skipped', operation: 'invalid', target: '-', attempts: 0, durationMs: 0 };
      },
    };
    const messages = Array.from({ length: 12 }, (_, i) => ({ messageId: `m${i}`, body: {} }));
    await expect(
      handleMessages(stub, messages, Date.now() + 5_000, {
        credentials: SANDBOX_CREDENTIALS,
        endpoint: 'http://127.0.0.1:9',
        timeoutMs: 1_000,
      }),
    ).rejects.toThrow('store refused');
    expect(finished).toHaveLength(11);
  });
});
