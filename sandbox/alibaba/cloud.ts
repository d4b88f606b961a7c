import type { SandboxCloud } from '../types';
import { alibabaDialect } from './dialect';
import { fcDialect } from './fc/dialect';
import { type AlibabaState, alibabaState } from './state';

function summarize(state: AlibabaState): string[] {
  return Object.entries(state.accounts).flatMap(([id, account]) => {
    const lines = [
      `alibaba  account ${id}: ${account.resourceGroups.length} resource groups, ${account.policies.length} policies, ` +
        `${account.attachments.length} policy attachments`,
    ];
    const rd = account.resourceDirectory;
    if (rd) {
      lines.push(
        `alibaba  resource directory ${rd.id}: ${rd.folders.length} folders, ${rd.members.length} members, ` +
          `${rd.controlPolicies.length} control policies, ${rd.controlPolicyAttachments.length} attachments`,
      );
    }
    return lines;
  });
}

/**
 * Alibaba Cloud: Function Compute's REST dialect (fc/) and the RPC gateway of Resource Manager, Resource
 * Directory and STS (dialect.ts); FC first, as its paths are its own.
 */
export const alibabaCloud = {
  name: 'alibaba',
  state: alibabaState,
  empty: { defaultAccount: '1000000000000001', accounts: { '1000000000000001': {} } },
  dialects: [fcDialect, alibabaDialect],
  summarize,
} as const satisfies SandboxCloud<'alibaba', typeof alibabaState>;
