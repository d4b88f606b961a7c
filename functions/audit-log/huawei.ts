import { parseHuaweiAudit } from '../../shared/events/huawei/cts';
import { FUNCTIONGRAPH } from '../../shared/platform/functiongraph';
import { HUAWEI } from '../../shared/providers/huawei';
import { readHuaweiTarget } from '../../shared/reconcile/huawei';
import { auditLog } from '.';

/** FunctionGraph, CTS trigger on IAM attach calls. */
export const handler = auditLog(FUNCTIONGRAPH, HUAWEI, { parse: parseHuaweiAudit, read: readHuaweiTarget });
