import type { SandboxCloud } from '../types';
import { tencentDialect } from './dialect';
import { type TencentState, tencentState } from './state';

function summarize(state: TencentState): string[] {
  return state.organizations.map(
    (org) =>
      `tencent  organization ${org.orgId} (owner ${org.ownerUin}): ${org.nodes.length} departments, ` +
      `${org.members.length} members, ${org.policies.length} policies, ${org.bindings.length} bindings`,
  );
}

/** Tencent Cloud: the API 3.0 gateway of Organization and STS (dialect.ts). */
export const tencentCloud = {
  name: 'tencent',
  state: tencentState,
  empty: { defaultAccount: '100000000001', organizations: [] },
  dialects: [tencentDialect],
  summarize,
} as const satisfies SandboxCloud<'tencent', typeof tencentState>;
