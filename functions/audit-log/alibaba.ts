import { parseAlibabaAudit } from '../../shared/events/alibaba/actiontrail';
import { fcEventPayload, fcInvocation } from '../../shared/platform/fc';
import { readAlibabaTarget } from '../../shared/reconcile/alibaba';
import { runAuditLog } from './run';

/** Function Compute 3.0, EventBridge rule on ActionTrail attach calls. */
export const handler = (event: unknown, context: unknown) =>
  runAuditLog(parseAlibabaAudit(fcEventPayload(event)), fcInvocation(context), readAlibabaTarget);
