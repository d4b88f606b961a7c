import { huaweiApi } from '../api';
import { iamErrors } from '../errors';
import { agencyTarget, agencyTargetParams } from './agency-target';
import { attachmentIndex } from './lookup';

/** POST /v5/policies/{policy_id}/detach-agency: 200 with no body. */
export const detachAgencyPolicy = huaweiApi({
  action: 'DetachAgencyPolicyV5',
  path: 'POST /v5/policies/{policy_id}/detach-agency',
  // The DetachAgencyPolicyV5 page names iam:agencies:detachPolicyV5; the others follow its scheme.
  permission: 'iam:agencies:detachPolicyV5',
  mutating: true,
  params: agencyTargetParams,
  handle(params, context) {
    const { account, policyId, agencyId } = agencyTarget(params, context);
    const index = attachmentIndex(account, policyId, agencyId);
    // The page's 404 covers "not found" of the attachment too: nothing to detach.
    if (index === -1) throw iamErrors.notFound('policy attachment', `${policyId} on agency ${agencyId}`);
    account.attachments.splice(index, 1);
    return undefined;
  },
});
