import { parseAlibabaQueue } from '../../shared/events/alibaba/mns';
import { FC } from '../../shared/platform/fc';
import { ALIBABA } from '../../shared/providers/alibaba';
import { queueCleanup } from '.';

/** Function Compute 3.0, MNS queue trigger (through EventBridge). */
export const handler = queueCleanup(FC, ALIBABA, parseAlibabaQueue);
