import { attachControlPolicy } from './attach-control-policy';
import { detachControlPolicy } from './detach-control-policy';
import { listControlPolicies } from './list-control-policies';
import { listControlPolicyAttachmentsForTarget } from './list-control-policy-attachments-for-target';
import { listTargetAttachmentsForControlPolicy } from './list-target-attachments-for-control-policy';

/** Resource Directory control policies (Resource Manager 2020-03-31): the APIs the sandbox serves. */
export const RESOURCE_DIRECTORY_APIS = [
  attachControlPolicy,
  detachControlPolicy,
  listControlPolicyAttachmentsForTarget,
  listTargetAttachmentsForControlPolicy,
  listControlPolicies,
];
