import { parseHuaweiQueue } from '../../shared/events/huawei/queue';
import { functionGraphInvocation } from '../../shared/platform/functiongraph';
import { runQueueCleanup } from './run';

/** FunctionGraph, Kafka/DMS or SMN trigger. */
export const handler = (event: unknown, context: unknown) =>
  runQueueCleanup(parseHuaweiQueue(event), functionGraphInvocation(context));
