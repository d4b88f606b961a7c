import * as z from 'zod';
import { contentText, idText, isObject, parseOrThrow, pick, queueBody, sha256 } from '../common';
import { eachQueueRecord } from '../queue-common';
import { InvalidEventError, type QueueMessage } from '../types';

/**
 * Huawei FunctionGraph queue triggers (docs/sources.md, Queue triggers): Kafka / DMS for Kafka
 * (`records[].messages[]`) and SMN (`record[].smn`). Samples: test/fixtures/events/huawei/kafka.vendor.json,
 * smn.vendor.json. Kafka messages carry no id: a message is named by its topic, the sha256 of its content and
 * how many identical messages precede it in the record, which a redelivery, whatever else it holds,
 * reproduces.
 */

export const kafkaRecord = z.object({
  topic_id: z.string().min(1, 'must be a non-empty topic id'),
  messages: z.array(z.unknown()),
});

export const smnRecord = z.object({
  smn: z.object({
    message_id: z.unknown().optional(),
    topic_urn: z.string().optional().catch(undefined),
    timestamp: z.union([z.string(), z.number()]).optional().catch(undefined),
    message: z.custom<unknown>((m) => m !== undefined && m !== null, 'must be the message'),
  }),
});

function kafkaMessages(record: z.infer<typeof kafkaRecord>): QueueMessage[] {
  const seen = new Map<string, number>();
  return record.messages.map((message) => {
    const digest = sha256(contentText(message));
    const occurrence = seen.get(digest) ?? 0;
    seen.set(digest, occurrence + 1);
    return { messageId: `${record.topic_id}:${digest}:${occurrence}`, body: queueBody(message) };
  });
}

function smnMessage(record: z.infer<typeof smnRecord>): QueueMessage {
  const { smn } = record;
  const messageId =
    idText(smn.message_id) ??
    `${smn.topic_urn ?? 'smn'}:${smn.timestamp ?? ''}:${sha256(contentText(smn.message))}`;
  return { messageId, body: queueBody(smn.message) };
}

export function parseHuaweiQueue(event: unknown): QueueMessage[] {
  return eachQueueRecord(
    event,
    (decoded) => {
      if (!isObject(decoded))
        throw new InvalidEventError('event', 'must be a Kafka or SMN trigger event object');
      // Kafka events say `records`, SMN events `record`: either key is read, each element by its own shape.
      const key = pick(decoded, 'records') !== undefined ? 'records' : 'record';
      const list = pick(decoded, key);
      if (!Array.isArray(list)) throw new InvalidEventError(key, 'must be a list of Kafka or SMN records');
      return Array.from(list, (record, index) => ({ record, at: `${key}[${index}]` }));
    },
    (record, at) => {
      const smn = isObject(record) ? pick(record, 'smn') : undefined;
      if (smn !== undefined) return [smnMessage(parseOrThrow(smnRecord, { smn }, at))];
      const messages = isObject(record) ? pick(record, 'messages') : undefined;
      if (messages !== undefined) {
        const topic = pick(record as Record<string, unknown>, 'topic_id');
        return kafkaMessages(parseOrThrow(kafkaRecord, { topic_id: topic, messages }, at));
      }
      throw new InvalidEventError(at, 'must hold Kafka messages or an SMN message');
    },
  );
}
