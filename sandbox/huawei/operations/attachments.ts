import type { Operation, OperationContext, RawRequest } from '../../types';
import { iamErrors } from '../errors';
import { accountOf, attachmentIndex, findAgency, findPolicy } from '../iam/lookup';
import { jsonBody, requireBodyId, requireId } from '../params';
import { pathParams } from '../routes';

/** Both calls take policy_id in the path and {"agency_id"} in the body (seed 002, AttachAgencyPolicyV5). */
function target(request: RawRequest, context: OperationContext) {
  const policyId = requireId(pathParams(request).policy_id, 'policy_id');
  const agencyId = requireBodyId(jsonBody(request), 'agency_id');
  const account = accountOf(context);
  findPolicy(account, policyId);
  const agency = findAgency(account, agencyId);
  if (agency.status === 'busy') throw iamErrors.agencyBusy(agencyId);
  return { account, policyId, agencyId };
}

/** POST /v5/policies/{policy_id}/detach-agency: 200 with no body. */
export const detachAgencyPolicy: Operation = {
  mutating: true,
  handle(request, context) {
    const { account, policyId, agencyId } = target(request, context);
    const index = attachmentIndex(account, policyId, agencyId);
    // Seed 002's 404 covers "not found" of the attachment too: nothing to detach.
    if (index === -1) throw iamErrors.notFound('policy attachment', `${policyId} on agency ${agencyId}`);
    account.attachments.splice(index, 1);
    return undefined;
  },
};

/**
 * POST /v5/policies/{policy_id}/attach-agency: 200 with no body. Attaching twice is a 409 conflict, not a
 * silent success (the only answers documented are 200/403/404/409); past the per-agency quota, PAP5.0003.
 */
export const attachAgencyPolicy: Operation = {
  mutating: true,
  handle(request, context) {
    const { account, policyId, agencyId } = target(request, context);
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
};
