import { parseTencentQueue } from '../../shared/events/tencent/queue';
import { scfInvocation } from '../../shared/platform/scf';
import { runQueueCleanup } from './run';

/** SCF, CMQ/TDMQ or CKafka trigger. */
export const main_handler = (event: unknown, context: unknown) =>
  runQueueCleanup(parseTencentQueue(event), scfInvocation(context));
