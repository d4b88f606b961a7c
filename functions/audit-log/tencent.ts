import { parseTencentAudit } from '../../shared/events/tencent/cloudaudit';
import { scfInvocation } from '../../shared/platform/scf';
import { readTencentTarget } from '../../shared/reconcile/tencent';
import { runAuditLog } from './run';

/** SCF, EventBridge rule on CloudAudit attach calls. */
export const main_handler = (event: unknown, context: unknown) =>
  runAuditLog(parseTencentAudit(event), scfInvocation(context), readTencentTarget);
