import { attachPolicy } from './attach-policy';
import { detachPolicy } from './detach-policy';
import { listPolicies } from './list-policies';
import { listPoliciesForTarget } from './list-policies-for-target';
import { listTargetsForPolicy } from './list-targets-for-policy';

/** Organization 2021-03-31: the APIs the sandbox serves. */
export const ORGANIZATION_APIS = [
  attachPolicy,
  detachPolicy,
  listPolicies,
  listPoliciesForTarget,
  listTargetsForPolicy,
];
