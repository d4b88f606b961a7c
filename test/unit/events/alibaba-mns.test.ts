import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAlibabaQueue } from '../../../shared/events/alibaba/mns';
import { parseRequest } from '../../../shared/requests';
import { FUZZ_RUNS, fixture, fixtureText, fuzzInputs, parsedOrInvalid } from './helpers';

const FIXTURES = ['alibaba/mns-queue-eventbridge.vendor.json', 'alibaba/mns-queue-eventstream-batch.json'];

/** The one invalid message a bad event or record becomes: the parser never throws, nor refuses the batch. */
function invalid(event: unknown): { field: string; rule: string } {
  const bad = parseAlibabaQueue(event).filter((m) => m.invalid !== undefined);
  if (bad.length !== 1 || !bad[0]?.invalid) throw new Error('expected one invalid message');
  return bad[0].invalid;
}

describe('parseAlibabaQueue', () => {
  it('reads the vendor sample, from an object or from the Buffer FC hands over; a non-JSON body is wrapped', () => {
    const expected = [{ messageId: 'C6DB60D1574661357FA2272774450001', body: { invalidJson: 'TEST' } }];
    expect(parseAlibabaQueue(fixture('alibaba/mns-queue-eventbridge.vendor.json'))).toEqual(expected);
    expect(parseAlibabaQueue(Buffer.from(fixtureText('alibaba/mns-queue-eventbridge.vendor.json')))).toEqual(
      expected,
    );
  });

  it('reads an event-stream batch: a JSON body, an object body, a truncated body', () => {
    const messages = parseAlibabaQueue(fixture('alibaba/mns-queue-eventstream-batch.json'));
    expect(messages.map((m) => m.messageId)).toEqual([
      'C6DB60D1574661357FA2272774450002',
      'C6DB60D1574661357FA2272774450003',
      'C6DB60D1574661357FA2272774450004',
    ]);
    expect(messages[0]?.body).toEqual({
      provider: 'alibaba',
      operation: 'detach-control-policy',
      policyId: 'cp-AllowAllLab00001',
      targetId: 'fd-Lab00001',
    });
    expect(parseRequest(messages[0]?.body).ok).toBe(true);
    expect(parseRequest(messages[1]?.body).ok).toBe(true);
    expect(messages[2]?.body).toEqual({ invalidJson: '{"provider":"alibaba",' });
  });

  it('reads the bare data objects of the RawData schema and a base64 body left undecoded', () => {
    const body = Buffer.from(
      '{"provider":"alibaba","operation":"delete-policy","policyName":"Old"}',
    ).toString('base64');
    expect(parseAlibabaQueue([{ requestId: 'r', messageId: 'M1', messageBody: body }])).toEqual([
      { messageId: 'M1', body: { provider: 'alibaba', operation: 'delete-policy', policyName: 'Old' } },
    ]);
  });

  it('keeps message ids across redelivery and answers an empty batch with no messages', () => {
    const event = fixture('alibaba/mns-queue-eventstream-batch.json');
    expect(parseAlibabaQueue(event)).toEqual(parseAlibabaQueue(structuredClone(event)));
    expect(parseAlibabaQueue([])).toEqual([]);
  });

  it('names the field of an invalid message when the event is not an MNS CloudEvent', () => {
    expect(invalid('not json')).toMatchObject({ field: 'event', rule: 'must be JSON' });
    expect(invalid(42)).toMatchObject({ field: 'event' });
    expect(invalid({ id: 'x', type: 'mns:Queue:SendMessage' })).toMatchObject({ field: 'data' });
    expect(invalid({ data: { messageBody: 'x' } })).toMatchObject({ field: 'data.messageId' });
    expect(invalid({ data: { messageId: 'M', messageBody: 7 } })).toMatchObject({
      field: 'data.messageBody',
    });
    const batch = [fixture('alibaba/mns-queue-eventbridge.vendor.json'), { data: { messageId: '' } }];
    expect(invalid(batch)).toMatchObject({ field: '[1].data.messageId' });
  });

  it('throws nothing, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        for (const message of parsedOrInvalid(() => parseAlibabaQueue(event)) ?? []) {
          expect(typeof message.messageId).toBe('string');
          expect(message.messageId.length).toBeGreaterThan(0);
        }
      }),
      FUZZ_RUNS,
    );
  });
});
