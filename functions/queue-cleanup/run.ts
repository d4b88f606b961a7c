import type { QueueMessage } from '../../shared/events/types';
import { withInvocation } from '../../shared/platform/function-runtime';
import type { Invocation } from '../../shared/platform/types';
import { type Settlement, settle } from '../settle';

const CONCURRENCY = 8;

/**
 * Each message is one explicit order. The batch succeeds when every message settled (done or
 * dead-lettered) and fails, so the platform redelivers it, while any is still to retry: a batch in which
 * everything failed is never reported as a success.
 */
export function runQueueCleanup(messages: QueueMessage[], invocation: Invocation): Promise<Settlement> {
  return withInvocation(invocation, async ({ engine }) => {
    const outcomes = new Array(messages.length);
    let next = 0;
    const worker = async () => {
      while (next < messages.length) {
        const index = next++;
        const message = messages[index] as QueueMessage;
        outcomes[index] = await engine.handleInput(message.body, {
          source: 'queue',
          eventId: `queue:${message.messageId}`,
          explicit: true,
          deadline: invocation.deadline,
          onPlatform: true,
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, messages.length) }, worker));
    return settle(outcomes);
  });
}
