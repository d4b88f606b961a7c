import { contentText, decodeEvent, keptForDeadLetter, sha256 } from './common';
import { InvalidEventError, type QueueMessage } from './types';

/**
 * What the three queue parsers share: each record is read on its own, and one that names no message for sure
 * becomes an invalid message of its own instead of refusing the batch (no redelivery could ever fix it).
 */

export interface QueueRecord {
  record: unknown;
  /** Where the record sits in the event, e.g. `Records[3]`; names the field of an invalid one. */
  at: string;
}

/** A record (or whole event) no message can be read from, as a message the engine dead-letters. */
export function invalidMessage(at: string, record: unknown, error: unknown): QueueMessage {
  const { field, rule } =
    error instanceof InvalidEventError ? error : { field: at || 'event', rule: 'is not a readable record' };
  const text = Buffer.isBuffer(record) ? record.toString('utf8') : record;
  const body = keptForDeadLetter(text);
  return {
    messageId: `invalid:${at || 'event'}:${sha256(contentText(body))}`,
    body,
    invalid: { field, rule },
  };
}

/**
 * Decodes the event, lists its records with `list` (which throws InvalidEventError when the event is no batch
 * of the trigger's kind) and reads each with `read`; never throws.
 */
export function eachQueueRecord(
  event: unknown,
  list: (decoded: unknown) => QueueRecord[],
  read: (record: unknown, at: string) => QueueMessage[],
): QueueMessage[] {
  let records: QueueRecord[];
  try {
    records = list(decodeEvent(event));
  } catch (error) {
    return [invalidMessage('', event, error)];
  }
  return records.flatMap(({ record, at }) => {
    try {
      return read(record, at);
    } catch (error) {
      return [invalidMessage(at, record, error)];
    }
  });
}
