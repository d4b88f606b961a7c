import type { SandboxCloud } from '../types';
import { huaweiDialect } from './dialect';
import { type HuaweiState, huaweiState } from './state';

function summarize(state: HuaweiState): string[] {
  return Object.entries(state.accounts).map(
    ([id, account]) =>
      `huawei   account ${id}: ${account.agencies.length} agencies, ${account.policies.length} identity policies, ` +
      `${account.attachments.length} attachments`,
  );
}

/** Huawei Cloud: IAM v5 behind the API gateway (dialect.ts). */
export const huaweiCloud = {
  name: 'huawei',
  state: huaweiState,
  empty: {
    defaultAccount: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    accounts: { '0a1b2c3d4e5f60718293a4b5c6d7e8f9': {} },
  },
  dialects: [huaweiDialect],
  summarize,
} as const satisfies SandboxCloud<'huawei', typeof huaweiState>;
