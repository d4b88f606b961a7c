import type { AuditParse } from '../../shared/events/types';
import { logger } from '../../shared/logger';
import type { Outcome } from '../../shared/outcomes';
import type { Platform } from '../../shared/platform/platform';
import type { Cloud } from '../../shared/providers/cloud';
import { reconcileAuditRecord } from '../../shared/reconcile/audit';
import type { TargetReader } from '../../shared/reconcile/types';
import { functionHandler } from '../runtime';
import { type Settlement, settle } from '../settle';

export interface AuditLogParts {
  /** Reads the platform's audit-log event into one parse per record. */
  parse(payload: unknown): AuditParse[];
  /** Reads the attachments of the target a record names, from the cloud. */
  read: TargetReader;
}

/**
 * The audit-log function of one cloud on its platform. Audit records of attach calls are hints: each names
 * a target, whose attachments are read from the cloud and acted on where a rule selects them. Every record
 * gets its outcomes, whatever happens to the others; a record that failed outright fails the invocation
 * afterwards, so the platform redelivers it.
 */
export function auditLog(platform: Platform, cloud: Cloud, parts: AuditLogParts) {
  return functionHandler<Settlement>(
    (runtime) => (event, context) =>
      runtime.run(platform, cloud, context, async ({ engine, rules, context: reach }, invocation) => {
        const outcomes: Outcome[] = [];
        const failures: unknown[] = [];
        const parses = parts.parse(platform.payload(event));
        // The account is needed only after the target is read: asked meanwhile, a cold start waits once.
        if (parses.some((p) => p.kind !== 'ignored')) engine.prefetchAccount(cloud.provider, reach);
        for (const parse of parses) {
          if (parse.kind === 'ignored') {
            logger.debug({ eventId: parse.eventId, reason: parse.reason }, 'audit record ignored');
            continue;
          }
          try {
            const deps = {
              engine,
              rules,
              read: parts.read,
              context: reach,
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
      }),
  );
}
