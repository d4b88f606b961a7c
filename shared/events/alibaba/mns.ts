import * as z from 'zod';
import { isObject, type Json, parseOrThrow, queueBody } from '../common';
import { eachQueueRecord } from '../queue-common';
import { InvalidEventError, type QueueMessage } from '../types';

/**
 * Alibaba MNS queue trigger, delivered through EventBridge (docs/sources.md, Queue triggers): one CloudEvent
 * per invocation in event mode, an array of them in event-stream mode, or the bare `data` objects when the
 * stream uses the `RawData` schema. Sample: test/fixtures/events/alibaba/mns-queue-eventbridge.vendor.json.
 */

/** `data` of the CloudEvent: the MNS message. A body already parsed into an object is taken as it is. */
export const mnsMessage = z.object({
  messageId: z.string().min(1, 'must be a non-empty message id'),
  messageBody: z.union([z.string(), z.custom<Json>(isObject, 'must be a string or an object')]),
});

export const mnsCloudEvent = z.object({ data: mnsMessage });

export function parseAlibabaQueue(event: unknown): QueueMessage[] {
  return eachQueueRecord(
    event,
    (decoded) => {
      const batch = Array.isArray(decoded);
      const events: unknown[] = batch ? Array.from(decoded) : [decoded];
      return events.map((record, index) => ({ record, at: batch ? `[${index}]` : '' }));
    },
    (element, at) => {
      if (!isObject(element)) throw new InvalidEventError(at || 'event', 'must be an MNS CloudEvent object');
      const raw = !('data' in element) && 'messageId' in element;
      const message = raw
        ? parseOrThrow(mnsMessage, element, at)
        : parseOrThrow(mnsCloudEvent, element, at).data;
      return [{ messageId: message.messageId, body: queueBody(message.messageBody) }];
    },
  );
}
