import type { AuditParse } from '../../shared/events/types';
import { logger } from '../../shared/logger';
import { withInvocation } from '../../shared/platform/function-runtime';
import type { Invocation } from '../../shared/platform/types';
import { type Settlement, settle } from '../settle';

/** Audit records of attach calls become detach requests, acted on only where a rule selects them. */
export function runAuditLog(parses: AuditParse[], invocation: Invocation): Promise<Settlement> {
  return withInvocation(invocation, async ({ engine }) => {
    const outcomes = [];
    for (const parse of parses) {
      if (parse.kind === 'ignored') {
        logger.debug({ eventId: parse.eventId, reason: parse.reason }, 'audit record ignored');
        continue;
      }
      const delivery = {
        source: 'audit-log' as const,
        eventId: parse.item.eventId,
        explicit: false,
        deadline: invocation.deadline,
        onPlatform: true,
      };
      outcomes.push(await engine.handleInput(parse.item.input, delivery));
    }
    return settle(outcomes);
  });
}
