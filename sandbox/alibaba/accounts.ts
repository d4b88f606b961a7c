import type { ApiContext } from '../types';
import { rd } from './resourcedirectory/errors';
import { rm } from './resourcemanager/errors';
import type {
  AlibabaAccount,
  AlibabaPolicy,
  AlibabaResourceGroup,
  AlibabaState,
  ResourceDirectory,
} from './state';

/** The caller's account; a key may name an account the seed never described, which starts out empty. */
export function accountOf(context: ApiContext<AlibabaState>): AlibabaAccount {
  const accounts = context.state.accounts;
  let account = accounts[context.caller.account];
  if (!account) {
    account = { resourceGroups: [], policies: [], attachments: [] };
    accounts[context.caller.account] = account;
  }
  return account;
}

const IN_TRANSITION: ReadonlySet<AlibabaResourceGroup['status']> = new Set([
  'Creating',
  'Deleting',
  'PendingDelete',
]);

/**
 * `ResourceGroupId` names either one of the account's resource groups or the account itself (account
 * scope). Attach and detach refuse a group that is being created or deleted; reads do not care.
 */
export function resolveScope(
  context: ApiContext<AlibabaState>,
  resourceGroupId: string,
  purpose: 'change' | 'read',
): AlibabaResourceGroup | 'account' {
  if (resourceGroupId === context.caller.account) return 'account';
  const group = accountOf(context).resourceGroups.find((g) => g.id === resourceGroupId);
  if (!group) throw rm.resourceGroupNotFound();
  if (purpose === 'change' && IN_TRANSITION.has(group.status)) throw rm.resourceGroupStatus();
  return group;
}

/** System policies are shared by every account; the seed lists them in each account as type System. */
export function findPolicy(
  context: ApiContext<AlibabaState>,
  name: string,
  type: AlibabaPolicy['type'],
): AlibabaPolicy {
  const policy = accountOf(context).policies.find((p) => p.name === name && p.type === type);
  if (!policy) throw rm.policyNotFound();
  return policy;
}

export function defaultVersionOf(policy: AlibabaPolicy) {
  return policy.versions.find((v) => v.isDefault) ?? policy.versions[0];
}

/** Only the management account of a resource directory holds one. */
export function directoryOf(context: ApiContext<AlibabaState>): ResourceDirectory {
  const directory = accountOf(context).resourceDirectory;
  if (!directory) throw rd.noDirectory();
  return directory;
}

export type TargetType = 'Root' | 'Folder' | 'Account';

export interface Target {
  id: string;
  name: string;
  type: TargetType;
}

/** The Root folder, a folder or a member of the directory. */
export function lookupTarget(directory: ResourceDirectory, targetId: string): Target | undefined {
  const folder = directory.folders.find((f) => f.id === targetId);
  if (targetId === directory.rootFolderId)
    return { id: targetId, name: folder?.name ?? 'Root', type: 'Root' };
  if (folder) return { id: targetId, name: folder.name, type: 'Folder' };
  const member = directory.members.find((m) => m.accountId === targetId);
  return member && { id: targetId, name: member.displayName, type: 'Account' };
}

export function findTarget(directory: ResourceDirectory, targetId: string): Target {
  const target = lookupTarget(directory, targetId);
  if (!target) throw rd.targetNotFound();
  return target;
}

export function findControlPolicy(directory: ResourceDirectory, policyId: string) {
  const policy = directory.controlPolicies.find((p) => p.id === policyId);
  if (!policy) throw rd.policyNotFound();
  return policy;
}
