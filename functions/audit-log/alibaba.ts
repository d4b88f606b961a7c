import { parseAlibabaAudit } from '../../shared/events/alibaba/actiontrail';
import { FC } from '../../shared/platform/fc';
import { ALIBABA } from '../../shared/providers/alibaba';
import { readAlibabaTarget } from '../../shared/reconcile/alibaba';
import { auditLog } from '.';

/** Function Compute 3.0, EventBridge rule on ActionTrail attach calls. */
export const handler = auditLog(FC, ALIBABA, { parse: parseAlibabaAudit, read: readAlibabaTarget });
