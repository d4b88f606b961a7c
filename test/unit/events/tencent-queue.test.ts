import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTencentQueue } from '../../../shared/events/tencent/queue';
import { parseRequest } from '../../../shared/requests';
import { FUZZ_RUNS, fixture, fuzzInputs, parsedOrInvalid } from './helpers';

const FIXTURES = [
  'tencent/cmq-topic.vendor.json',
  'tencent/cmq-topic-requests.json',
  'tencent/ckafka.vendor.json',
  'tencent/ckafka-requests.json',
];

/** The one invalid message a bad event or record becomes: the parser never throws, nor refuses the batch. */
function invalid(event: unknown): { field: string; rule: string } {
  const bad = parseTencentQueue(event).filter((m) => m.invalid !== undefined);
  if (bad.length !== 1 || !bad[0]?.invalid) throw new Error('expected one invalid message');
  return bad[0].invalid;
}

describe('parseTencentQueue', () => {
  it('reads the CMQ topic sample', () => {
    expect(parseTencentQueue(fixture('tencent/cmq-topic.vendor.json'))).toEqual([
      { messageId: '13510798882111490', body: { invalidJson: 'aaaaaaaaaa' } },
    ]);
  });

  it('reads CMQ requests, a numeric msgId and a tag list', () => {
    const [request, notJson] = parseTencentQueue(fixture('tencent/cmq-topic-requests.json'));
    expect(request?.messageId).toBe('13510798882111491');
    expect(parseRequest(request?.body)).toMatchObject({
      ok: true,
      request: { policyId: 100002, targetId: 1002 },
    });
    expect(notJson).toEqual({ messageId: '1351079888', body: { invalidJson: 'not json at all' } });
  });

  it('names a CKafka message by topic, partition and offset, exactly even past 2^53', () => {
    expect(parseTencentQueue(fixture('tencent/ckafka.vendor.json')).map((m) => m.messageId)).toEqual([
      'test-topic:1:36',
      'test-topic:1:37',
    ]);
    const [message] = parseTencentQueue(fixture('tencent/ckafka-requests.json'));
    expect(message?.messageId).toBe('test-topic:0:9007199254740993');
    expect(parseRequest(message?.body).ok).toBe(true);
  });

  it('keeps message ids when a message is redelivered in another batch', () => {
    const batch = fixture('tencent/ckafka.vendor.json') as { Records: unknown[] };
    const [, second] = parseTencentQueue(batch);
    const [again] = parseTencentQueue({ Records: [batch.Records[1]] });
    expect(again).toEqual(second);
  });

  it('names the field of an invalid message when the event is not a CMQ or CKafka batch', () => {
    expect(invalid({})).toMatchObject({ field: 'Records' });
    expect(invalid({ Records: {} })).toMatchObject({ field: 'Records' });
    expect(invalid({ Records: [{}] })).toMatchObject({ field: 'Records[0]' });
    expect(invalid({ Records: [{ CMQ: { msgBody: 'x' } }] })).toMatchObject({
      field: 'Records[0].CMQ.msgId',
    });
    // A number past 2^53 has lost digits on its way through JSON: it names no message for sure.
    expect(invalid({ Records: [{ CMQ: { msgId: 2 ** 60, msgBody: '' } }] })).toMatchObject({
      field: 'Records[0].CMQ.msgId',
    });
    expect(
      invalid({ Records: [{ Ckafka: { topic: 't', partition: -1, offset: 1, msgBody: '' } }] }),
    ).toMatchObject({
      field: 'Records[0].Ckafka.partition',
    });
  });

  it('throws nothing, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        for (const message of parsedOrInvalid(() => parseTencentQueue(event)) ?? []) {
          expect(typeof message.messageId).toBe('string');
          expect(message.messageId.length).toBeGreaterThan(0);
        }
      }),
      FUZZ_RUNS,
    );
  });
});
