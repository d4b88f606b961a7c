import { parseAlibabaAudit } from '../../shared/events/alibaba/actiontrail';
import { parseAlibabaHttp } from '../../shared/events/alibaba/http';
import { parseAlibabaQueue } from '../../shared/events/alibaba/mns';
import { parseHuaweiAudit } from '../../shared/events/huawei/cts';
import { parseHuaweiHttp } from '../../shared/events/huawei/http';
import { parseHuaweiQueue } from '../../shared/events/huawei/queue';
import { parseTencentAudit } from '../../shared/events/tencent/cloudaudit';
import { parseTencentHttp } from '../../shared/events/tencent/http';
import { parseTencentQueue } from '../../shared/events/tencent/queue';
import type { QueueMessage } from '../../shared/events/types';
import { PROVIDERS, type Provider } from '../../shared/requests';
import { UsageError } from '../errors';
import type { FunctionName } from './local';

type Reader = (event: unknown) => boolean;

/** A parser never throws on another platform's event: it hands back the record as an invalid message. */
const readable = (message: QueueMessage): boolean => message.invalid === undefined;

/** Whether each cloud's own parser finds something in the event: a message, an audit record, an HTTP request. */
const READS: Readonly<Record<FunctionName, Readonly<Record<Provider, Reader>>>> = {
  'queue-cleanup': {
    alibaba: (e) => parseAlibabaQueue(e).some(readable),
    tencent: (e) => parseTencentQueue(e).some(readable),
    huawei: (e) => parseHuaweiQueue(e).some(readable),
  },
  'audit-log': {
    alibaba: (e) => parseAlibabaAudit(e).some((p) => p.kind === 'hint'),
    tencent: (e) => parseTencentAudit(e).some((p) => p.kind === 'hint'),
    huawei: (e) => parseHuaweiAudit(e).some((p) => p.kind === 'hint'),
  },
  'http-invoke': {
    alibaba: (e) => Boolean(parseAlibabaHttp(e)),
    tencent: (e) => Boolean(parseTencentHttp(e)),
    huawei: (e) => Boolean(parseHuaweiHttp(e)),
  },
};

function reads(name: FunctionName, cloud: Provider, event: unknown): boolean {
  try {
    return READS[name][cloud](event);
  } catch {
    return false;
  }
}

/**
 * Refuses an event that is another platform's (e.g. a Tencent CMQ batch run with --cloud alibaba): the
 * function would find nothing in it and answer with no outcome, which looks like success. An event that no
 * cloud reads is left to the function, which reports it its own way.
 */
export function checkEventCloud(name: FunctionName, cloud: Provider, event: unknown): void {
  if (reads(name, cloud, event)) return;
  const fits = PROVIDERS.filter((other) => other !== cloud && reads(name, other, event));
  if (fits.length > 0)
    throw new UsageError(
      `--cloud ${cloud}: not an event that ${cloud}'s ${name} would get; it reads as ${fits.join(' or ')}'s (--cloud ${fits[0]})`,
    );
}
