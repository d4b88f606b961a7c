import type { World } from './world';

/** A few readable lines per cloud: what a person needs to see to know what the sandbox holds. */
export function summarizeWorld(world: World): string[] {
  const lines: string[] = [];
  for (const [id, account] of Object.entries(world.alibaba.accounts)) {
    lines.push(
      `alibaba  account ${id}: ${account.resourceGroups.length} resource groups, ${account.policies.length} policies, ` +
        `${account.attachments.length} policy attachments`,
    );
    const rd = account.resourceDirectory;
    if (rd) {
      lines.push(
        `alibaba  resource directory ${rd.id}: ${rd.folders.length} folders, ${rd.members.length} members, ` +
          `${rd.controlPolicies.length} control policies, ${rd.controlPolicyAttachments.length} attachments`,
      );
    }
  }
  for (const org of world.tencent.organizations) {
    lines.push(
      `tencent  organization ${org.orgId} (owner ${org.ownerUin}): ${org.nodes.length} departments, ` +
        `${org.members.length} members, ${org.policies.length} policies, ${org.bindings.length} bindings`,
    );
  }
  for (const [id, account] of Object.entries(world.huawei.accounts)) {
    lines.push(
      `huawei   account ${id}: ${account.agencies.length} agencies, ${account.policies.length} identity policies, ` +
        `${account.attachments.length} attachments`,
    );
  }
  return lines;
}
