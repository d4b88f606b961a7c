import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHuaweiQueue } from '../../../shared/events/huawei/queue';
import { parseRequest } from '../../../shared/requests';
import { FUZZ_RUNS, fixture, fuzzInputs, parsedOrInvalid } from './helpers';

const FIXTURES = [
  'huawei/kafka.vendor.json',
  'huawei/kafka-requests.json',
  'huawei/smn.vendor.json',
  'huawei/smn-no-message-id.json',
];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The one invalid message a bad event or record becomes: the parser never throws, nor refuses the batch. */
function invalid(event: unknown): { field: string; rule: string } {
  const bad = parseHuaweiQueue(event).filter((m) => m.invalid !== undefined);
  if (bad.length !== 1 || !bad[0]?.invalid) throw new Error('expected one invalid message');
  return bad[0].invalid;
}

describe('parseHuaweiQueue', () => {
  it('names Kafka messages by topic and content hash', () => {
    const messages = parseHuaweiQueue(fixture('huawei/kafka.vendor.json'));
    expect(messages).toEqual(
      ['kafka message1', 'kafka message2', 'kafka message3'].map((text) => ({
        messageId: `topic-test:${sha256(text)}:0`,
        body: { invalidJson: text },
      })),
    );
  });

  it('tells identical messages apart and keeps every id when a message is redelivered in another batch', () => {
    const event = fixture('huawei/kafka-requests.json') as { records: { messages: string[] }[] };
    const [first, other, duplicate] = parseHuaweiQueue(event);
    expect(parseRequest(first?.body).ok).toBe(true);
    expect(first?.messageId).not.toBe(duplicate?.messageId);
    expect(duplicate?.messageId).toMatch(/:1$/);
    const messages = event.records[0]?.messages ?? [];
    const redelivered = structuredClone(event);
    (redelivered.records[0] as { messages: string[] }).messages = [messages[1] ?? '', messages[0] ?? ''];
    expect(parseHuaweiQueue(redelivered).map((m) => m.messageId)).toEqual([
      other?.messageId,
      first?.messageId,
    ]);
  });

  it('reads SMN messages by message_id, or by topic, time and content hash when there is none', () => {
    expect(parseHuaweiQueue(fixture('huawei/smn.vendor.json'))).toEqual([
      { messageId: 'a51671f77d4a479cacb09e2cd591a983', body: { invalidJson: 'this is smn message content' } },
    ]);
    const [message] = parseHuaweiQueue(fixture('huawei/smn-no-message-id.json'));
    expect(message?.messageId).toMatch(/^urn:smn:.*:2018-01-09T07:11:40Z:[0-9a-f]{64}$/);
    expect(parseHuaweiQueue(fixture('huawei/smn-no-message-id.json'))[0]?.messageId).toBe(message?.messageId);
    expect(parseRequest(message?.body).ok).toBe(true);
  });

  it('names the field of an invalid message when the event is not a Kafka or SMN batch', () => {
    expect(invalid([])).toMatchObject({ field: 'event' });
    expect(invalid({})).toMatchObject({ field: 'record' });
    expect(invalid({ records: 'x' })).toMatchObject({ field: 'records' });
    expect(invalid({ records: [{ messages: [] }] })).toMatchObject({ field: 'records[0].topic_id' });
    expect(invalid({ record: [{ smn: { message_id: 'm' } }] })).toMatchObject({
      field: 'record[0].smn.message',
    });
    expect(invalid({ record: [{ dms: {} }] })).toMatchObject({ field: 'record[0]' });
  });

  it('throws nothing, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        for (const message of parsedOrInvalid(() => parseHuaweiQueue(event)) ?? []) {
          expect(typeof message.messageId).toBe('string');
          expect(message.messageId.length).toBeGreaterThan(0);
        }
      }),
      FUZZ_RUNS,
    );
  });
});
