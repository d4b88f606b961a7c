import { logger } from '../shared/logger';
import type { Outcome } from '../shared/outcomes';

/**
 * Thrown when some request is still to be done: failing the invocation makes the platform redeliver,
 * and idempotency makes the requests already settled no-ops on the next delivery.
 */
export class RetryLaterError extends Error {
  override readonly name = 'RetryLaterError';
}

export interface Settlement {
  outcomes: Outcome[];
  counts: Partial<Record<Outcome['status'], number>>;
}

/** Summarises the outcomes; throws RetryLaterError unless every one of them settled. */
export function settle(outcomes: Outcome[]): Settlement {
  const counts: Settlement['counts'] = {};
  for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
  const pending = counts['retry-later'] ?? 0;
  if (pending > 0) {
    logger.warn({ counts }, 'some requests are not settled: failing so the platform redelivers');
    throw new RetryLaterError(`${pending} of ${outcomes.length} requests must be retried`);
  }
  return { outcomes, counts };
}
