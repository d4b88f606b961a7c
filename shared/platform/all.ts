import type { Provider } from '../requests';
import { FC } from './fc';
import { FUNCTIONGRAPH } from './functiongraph';
import type { Platform } from './platform';
import { SCF } from './scf';

/** Each cloud's function platform, for the CLI and the local runtime (a bundle imports its own only). */
export const PLATFORMS: Readonly<Record<Provider, Platform>> = {
  alibaba: FC,
  tencent: SCF,
  huawei: FUNCTIONGRAPH,
};
