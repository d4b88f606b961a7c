import { attachPolicy } from './attach-policy';
import { deletePolicy } from './delete-policy';
import { deletePolicyVersion } from './delete-policy-version';
import { detachPolicy } from './detach-policy';
import { listPolicies } from './list-policies';
import { listPolicyAttachments } from './list-policy-attachments';
import { listPolicyVersions } from './list-policy-versions';
import { listResourceGroups } from './list-resource-groups';

/** Resource Manager 2020-03-31 (resource groups and their policies): the APIs the sandbox serves. */
export const RESOURCE_MANAGER_APIS = [
  attachPolicy,
  detachPolicy,
  listPolicyAttachments,
  deletePolicy,
  listPolicies,
  listPolicyVersions,
  deletePolicyVersion,
  listResourceGroups,
];
