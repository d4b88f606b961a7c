import { huaweiApi } from '../api';
import { iamErrors } from '../errors';
import { agencyTarget, agencyTargetParams } from './agency-target';
import { attachmentIndex } from './lookup';

/**
 * POST /v5/policies/{policy_id}/attach-agency: 200 with no body. Attaching twice is a 409 conflict, not a
 * silent success (the only answers documented are 200/403/404/409); past the per-agency quota, PAP5.0003.
 */
export const attachAgencyPolicy = huaweiApi({
  action: 'AttachAgencyPolicyV5',
  path: 'POST /v5/policies/{policy_id}/attach-agency',
  permission: 'iam:agencies:attachPolicyV5',
  mutating: true,
  params: agencyTargetParams,
  handle(params, context) {
    const { account, policyId, agencyId } = agencyTarget(params, context);
    if (attachmentIndex(account, policyId, agencyId) !== -1)
      throw iamErrors.conflict(
        'policy attachment',
        `policy ${policyId} is already attached to agency ${agencyId}`,
      );
    const attached = account.attachments.filter((a) => a.agencyId === agencyId).length;
    if (attached >= account.quotas.attachedPoliciesPerAgency) throw iamErrors.attachQuotaExceeded();
    account.attachments.push({ policyId, agencyId, attachedAt: context.now.toISOString() });
    return undefined;
  },
});
