import type { Engine } from '../../shared/engine/engine';
import type { QueueMessage } from '../../shared/events/types';
import { logger } from '../../shared/logger';
import type { Outcome } from '../../shared/outcomes';
import type { Platform } from '../../shared/platform/platform';
import { inPool } from '../../shared/pool';
import type { Cloud } from '../../shared/providers/cloud';
import type { ProviderContext } from '../../shared/providers/types';
import { functionHandler } from '../runtime';
import { type Settlement, settle } from '../settle';

const CONCURRENCY = 8;

/**
 * The queue-cleanup function of one cloud on its platform: each message is one explicit order. The batch
 * succeeds when every message settled (done or dead-lettered) and fails, so the platform redelivers it,
 * while any is still to retry: a batch in which everything failed is never reported as a success.
 */
export function queueCleanup(platform: Platform, cloud: Cloud, parse: (payload: unknown) => QueueMessage[]) {
  return functionHandler<Settlement>(
    (runtime) => (event, context) =>
      runtime.run(platform, cloud, context, async ({ engine, context: reach }, invocation) =>
        settle(await handleMessages(engine, parse(platform.payload(event)), invocation.deadline, reach)),
      ),
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
  context: ProviderContext,
): Promise<Outcome[]> {
  // A broker may hand the same message twice in one batch: it is one order, settled once.
  const unique = [...new Map(messages.map((m) => [m.messageId, m])).values()];
  const byId = new Map<string, Outcome>();
  const failures: unknown[] = [];
  await inPool(unique, CONCURRENCY, async (message) => {
    const delivery = {
      trigger: 'queue' as const,
      eventId: `queue:${message.messageId}`,
      explicit: true,
      deadline,
      context,
      onPlatform: true,
    };
    const refused = message.invalid && { hint: `${message.invalid.field}: ${message.invalid.rule}` };
    try {
      byId.set(message.messageId, await engine.handleInput(message.body, delivery, refused));
    } catch (error) {
      logger.error({ err: error, messageId: message.messageId }, 'queue message not settled');
      failures.push(error);
    }
  });
  if (failures.length > 0) throw failures[0];
  return messages.map((m) => byId.get(m.messageId) as Outcome);
}
