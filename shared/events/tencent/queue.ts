import * as z from 'zod';
import { idText, isObject, type Json, parseOrThrow, pick, queueBody } from '../common';
import { eachQueueRecord } from '../queue-common';
import { InvalidEventError, type QueueMessage } from '../types';

/**
 * Tencent SCF queue triggers (docs/sources.md, Queue triggers), both delivering `{ Records: [...] }`: CMQ /
 * TDMQ-CMQ topic (`Records[].CMQ`) and CKafka (`Records[].Ckafka`). Samples:
 * test/fixtures/events/tencent/cmq-topic.vendor.json, ckafka.vendor.json. A Kafka message has no id of its
 * own: topic, partition and offset name it for good.
 */

const body = z.union([z.string(), z.custom<Json>(isObject, 'must be a string or an object')]);
// Ids are strings in the samples (msgId) or numbers (partition, offset); a digit string is the same id.
const integer = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z.string().regex(/^\d{1,20}$/),
]);

export const cmqMessage = z.object({
  msgId: z.union([z.string().min(1, 'must be a non-empty message id'), integer]),
  msgBody: body,
});

export const ckafkaMessage = z.object({
  topic: z.string().min(1, 'must be a non-empty topic name'),
  partition: integer,
  offset: integer,
  msgBody: body,
});

export const scfQueueEvent = z.object({ Records: z.array(z.unknown()) });

export function parseTencentQueue(event: unknown): QueueMessage[] {
  return eachQueueRecord(
    event,
    (decoded) =>
      parseOrThrow(
        scfQueueEvent,
        isObject(decoded) ? { Records: pick(decoded, 'Records') } : decoded,
      ).Records.map((record, index) => ({ record, at: `Records[${index}]` })),
    (record, at) => [readRecord(record, at)],
  );
}

function readRecord(record: unknown, at: string): QueueMessage {
  const wrapper = isObject(record) ? record : undefined;
  const cmq = pick(wrapper, 'CMQ');
  if (cmq !== undefined) {
    const message = parseOrThrow(cmqMessage, cmq, `${at}.CMQ`);
    return { messageId: idText(message.msgId) ?? String(message.msgId), body: queueBody(message.msgBody) };
  }
  const kafka = pick(wrapper, 'Ckafka');
  if (kafka !== undefined) {
    const message = parseOrThrow(ckafkaMessage, kafka, `${at}.Ckafka`);
    return {
      messageId: `${message.topic}:${message.partition}:${message.offset}`,
      body: queueBody(message.msgBody),
    };
  }
  throw new InvalidEventError(at, 'must hold a CMQ or a Ckafka message');
}
