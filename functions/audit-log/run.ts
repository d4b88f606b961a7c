import { endpointFor } from '../../shared/config/environment';
import { loadRules } from '../../shared/config/load-rules';
import type { AuditParse } from '../../shared/events/types';
import { logger } from '../../shared/logger';
import type { Outcome } from '../../shared/outcomes';
import { withInvocation } from '../../shared/platform/function-runtime';
import type { Invocation } from '../../shared/platform/types';
import { CALL_TIMEOUT_MS } from '../../shared/providers/types';
import { reconcileAuditRecord } from '../../shared/reconcile/audit';
import type { TargetReader } from '../../shared/reconcile/types';
import { type Settlement, settle } from '../settle';

/**
 * Audit records of attach calls are hints: each names a target, whose attachments are read from the cloud
 * and acted on where a rule selects them. Every record gets its outcomes, whatever happens to the others;
 * a record that failed outright fails the invocation afterwards, so the platform redelivers it.
 */
export function runAuditLog(
  parses: AuditParse[],
  invocation: Invocation,
  read: TargetReader,
): Promise<Settlement> {
  return withInvocation(invocation, async ({ engine, environment }) => {
    // The rules the engine was built with, evaluated against what the cloud lists.
    const rules = loadRules(environment.REMEDIATE_RULES);
    const outcomes: Outcome[] = [];
    const failures: unknown[] = [];
    const remaining = Math.ceil((invocation.deadline - Date.now()) / 1000) * 1000;
    const context = {
      credentials: invocation.credentials,
      endpoint: endpointFor(invocation.provider, environment),
      timeoutMs: Math.max(1_000, Math.min(CALL_TIMEOUT_MS, remaining)),
    };
    for (const parse of parses) {
      if (parse.kind === 'ignored') {
        logger.debug({ eventId: parse.eventId, reason: parse.reason }, 'audit record ignored');
        continue;
      }
      try {
        const deps = {
          engine,
          rules,
          read,
          context,
          deadline: invocation.deadline,
          logger,
        };
        outcomes.push(...(await reconcileAuditRecord(parse, deps)));
      } catch (error) {
        logger.error({ err: error, eventId: parse.eventId }, 'audit record not settled');
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
    return settle(outcomes);
  });
}
