import type { QueueMessage } from '../../shared/events/types';
import type { Outcome } from '../../shared/outcomes';
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
    // A broker may hand the same message twice in one batch: it is one order, settled once.
    const unique = [...new Map(messages.map((m) => [m.messageId, m])).values()];
    const byId = new Map<string, Outcome>();
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const message = unique[next++] as QueueMessage;
        const outcome = await engine.handleInput(message.body, {
          source: 'queue',
          eventId: `queue:${message.messageId}`,
          explicit: true,
          deadline: invocation.deadline,
          onPlatform: true,
        });
        byId.set(message.messageId, outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, unique.length) }, worker));
    return settle(messages.map((m) => byId.get(m.messageId) as Outcome));
  });
}
