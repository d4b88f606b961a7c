import { parseHuaweiAudit } from '../../shared/events/huawei/cts';
import { functionGraphInvocation } from '../../shared/platform/functiongraph';
import { readHuaweiTarget } from '../../shared/reconcile/huawei';
import { runAuditLog } from './run';

/** FunctionGraph, CTS trigger on IAM attach calls. */
export const handler = (event: unknown, context: unknown) =>
  runAuditLog(parseHuaweiAudit(event), functionGraphInvocation(context), readHuaweiTarget);
