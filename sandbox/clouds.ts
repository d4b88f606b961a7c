import { alibabaCloud } from './alibaba/cloud';
import { huaweiCloud } from './huawei/cloud';
import { tencentCloud } from './tencent/cloud';
import type { SandboxCloud } from './types';

/**
 * Every cloud the sandbox serves, in the order the server tries their dialects. A new cloud is one folder
 * (see README.md, "Add a cloud") and one entry here: the world schema, keys, limits, faults and the
 * summary all read this list.
 */
export const SANDBOX_CLOUDS = [alibabaCloud, tencentCloud, huaweiCloud] as const;

export type Cloud = (typeof SANDBOX_CLOUDS)[number]['name'];

export const CLOUDS = SANDBOX_CLOUDS.map((cloud) => cloud.name) as [Cloud, ...Cloud[]];

/** The list with each cloud's own state type forgotten, for code that treats all clouds alike. */
export const ALL_CLOUDS: readonly SandboxCloud[] = SANDBOX_CLOUDS;
