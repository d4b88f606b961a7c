import { ALIBABA, ALIBABA_OPERATIONS } from './alibaba';
import type { Cloud } from './cloud';
import { HUAWEI, HUAWEI_OPERATIONS } from './huawei';
import type { OperationRegistry } from './operations';
import { TENCENT, TENCENT_OPERATIONS } from './tencent';

/**
 * Every cloud, for the CLI, the local runtime and the scripts. A function bundle never imports this: its
 * entry hands the engine its own cloud only (functions/<function>/<cloud>.ts), so it holds one SDK.
 */
export const ALL_CLOUDS: readonly Cloud[] = [ALIBABA, TENCENT, HUAWEI];

/** Every operation of every cloud, by name. */
export const ALL_OPERATIONS = {
  ...ALIBABA_OPERATIONS,
  ...TENCENT_OPERATIONS,
  ...HUAWEI_OPERATIONS,
} as const satisfies OperationRegistry;
