import { parseTencentAudit } from '../../shared/events/tencent/cloudaudit';
import { SCF } from '../../shared/platform/scf';
import { TENCENT } from '../../shared/providers/tencent';
import { readTencentTarget } from '../../shared/reconcile/tencent';
import { auditLog } from '.';

/** SCF, EventBridge rule on CloudAudit attach calls. */
export const main_handler = auditLog(SCF, TENCENT, { parse: parseTencentAudit, read: readTencentTarget });
