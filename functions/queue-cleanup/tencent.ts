import { parseTencentQueue } from '../../shared/events/tencent/queue';
import { SCF } from '../../shared/platform/scf';
import { TENCENT } from '../../shared/providers/tencent';
import { queueCleanup } from '.';

/** SCF, CMQ/TDMQ or CKafka trigger. */
export const main_handler = queueCleanup(SCF, TENCENT, parseTencentQueue);
