import { parseAlibabaQueue } from '../../shared/events/alibaba/mns';
import { fcEventPayload, fcInvocation } from '../../shared/platform/fc';
import { runQueueCleanup } from './run';

/** Function Compute 3.0, MNS queue trigger (through EventBridge). */
export const handler = (event: unknown, context: unknown) =>
  runQueueCleanup(parseAlibabaQueue(fcEventPayload(event)), fcInvocation(context));
