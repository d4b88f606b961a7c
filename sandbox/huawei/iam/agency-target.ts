import { z } from 'zod';
import type { ApiContext } from '../../types';
import { bodyWithIds, id } from '../api';
import { iamErrors } from '../errors';
import type { HuaweiState } from '../state';
import { accountOf, findAgency, findPolicy } from './lookup';

/** Attach and detach take policy_id in the path and {"agency_id"} in the body (DetachAgencyPolicyV5 page). */
export const agencyTargetParams = z.object({
  path: z.object({ policy_id: id('policy_id') }),
  body: bodyWithIds('agency_id'),
});

/** The account, once the policy and the agency exist and the agency is not mid-change (409). */
export function agencyTarget(params: z.output<typeof agencyTargetParams>, context: ApiContext<HuaweiState>) {
  const policyId = params.path.policy_id;
  const agencyId = params.body.agency_id;
  const account = accountOf(context);
  findPolicy(account, policyId);
  const agency = findAgency(account, agencyId);
  if (agency.status === 'busy') throw iamErrors.agencyBusy(agencyId);
  return { account, policyId, agencyId };
}
