import type { Engine } from '../../shared/engine/engine';
import type { QueueMessage } from '../../shared/events/types';
import { logger } from '../../shared/logger';
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
  return withInvocation(invocation, async ({ engine }) =>
    settle(await handleMessages(engine, messages, invocation.deadline)),
  );
}

/**
 * One outcome per message, in order. A message the parser could not read is dead-lettered on its own. A
 * worker that fails (the state store is down) stops only its own message: every other worker finishes and
 * releases its claims first, then the first failure is thrown so the platform redelivers the batch.
 */
export async function handleMessages(
  engine: Pick<Engine, 'handleInput'>,
  messages: QueueMessage[],
  deadline: number,
): Promise<Outcome[]> {
  // A broker may hand the same message twice in one batch: it is one order, settled once.
  const unique = [...new Map(messages.map((m) => [m.messageId, m])).values()];
  const byId = new Map<string, Outcome>();
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const message = unique[next++] as QueueMessage;
      const delivery = {
        source: 'queue' as const,
        eventId: `queue:${message.messageId}`,
        explicit: true,
        deadline,
        onPlatform: true,
      };
      const refused = message.invalid && { hint: `${message.invalid.field}: ${message.invalid.rule}` };
      try {
        byId.set(message.messageId, await engine.handleInput(message.body, delivery, refused));
      } catch (error) {
        logger.error({ err: error, messageId: message.messageId }, 'queue message not settled');
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, unique.length) }, worker));
  if (failures.length > 0) throw failures[0];
  return messages.map((m) => byId.get(m.messageId) as Outcome);
}
