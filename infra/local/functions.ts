import { handler as alibabaAudit } from '../../functions/audit-log/alibaba';
import { handler as huaweiAudit } from '../../functions/audit-log/huawei';
import { main_handler as tencentAudit } from '../../functions/audit-log/tencent';
import { handler as alibabaHttp } from '../../functions/http-invoke/alibaba';
import { handler as alibabaQueue } from '../../functions/queue-cleanup/alibaba';
import { handler as huaweiQueue } from '../../functions/queue-cleanup/huawei';
import { main_handler as tencentQueue } from '../../functions/queue-cleanup/tencent';
import { contextFor } from './contexts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const AUDIT: Record<string, Handler> = { alibaba: alibabaAudit, tencent: tencentAudit, huawei: huaweiAudit };
const QUEUE: Record<string, Handler> = { alibaba: alibabaQueue, tencent: tencentQueue, huawei: huaweiQueue };

/** Calls a function the way its platform does: FC passes the event as a Buffer of JSON. */
function invoke(handler: Handler, cloud: string, event: unknown): Promise<unknown> {
  const payload = cloud === 'alibaba' ? Buffer.from(JSON.stringify(event)) : event;
  return handler(payload, contextFor(cloud));
}

export const invokeAuditLog = (cloud: string, event: unknown) =>
  invoke(AUDIT[cloud] as Handler, cloud, event);
export const invokeQueueCleanup = (cloud: string, event: unknown) =>
  invoke(QUEUE[cloud] as Handler, cloud, event);
/** The Alibaba functions as FC would run them when invoked through the FC API (`remediate invoke --fc`). */
export const FC_FUNCTIONS: Record<string, Handler> = {
  'audit-log': alibabaAudit,
  'queue-cleanup': alibabaQueue,
  'http-invoke': alibabaHttp,
};

export const invokeHttp = (event: unknown) => invoke(alibabaHttp as Handler, 'alibaba', event);
