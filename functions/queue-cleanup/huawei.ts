import { parseHuaweiQueue } from '../../shared/events/huawei/queue';
import { FUNCTIONGRAPH } from '../../shared/platform/functiongraph';
import { HUAWEI } from '../../shared/providers/huawei';
import { queueCleanup } from '.';

/** FunctionGraph, Kafka/DMS or SMN trigger. */
export const handler = queueCleanup(FUNCTIONGRAPH, HUAWEI, parseHuaweiQueue);
