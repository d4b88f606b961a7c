import { attachAgencyPolicy } from './attach-agency-policy';
import { detachAgencyPolicy } from './detach-agency-policy';
import { getCallerIdentity } from './get-caller-identity';
import { listAgencies } from './list-agencies';
import { listAttachedAgencyPolicies } from './list-attached-agency-policies';
import { listEntitiesForPolicy } from './list-entities-for-policy';
import { listPolicies } from './list-policies';

/** IAM v5 (IamClient.js of @huaweicloud/huaweicloud-sdk-iam): the APIs the sandbox serves. */
export const IAM_APIS = [
  detachAgencyPolicy,
  attachAgencyPolicy,
  listAttachedAgencyPolicies,
  listEntitiesForPolicy,
  listPolicies,
  getCallerIdentity,
  listAgencies,
];
