import type { ApiContext } from '../../types';
import { iamErrors } from '../errors';
import type { HuaweiAccount, HuaweiState } from '../state';

type Agency = HuaweiAccount['agencies'][number];
type Policy = HuaweiAccount['policies'][number];

/** The caller's account (domain); an account the seed does not know owns nothing. */
export function accountOf(context: ApiContext<HuaweiState>): HuaweiAccount {
  return (
    context.state.accounts[context.caller.account] ?? {
      agencies: [],
      policies: [],
      attachments: [],
      quotas: { attachedPoliciesPerAgency: 0 },
    }
  );
}

export function findPolicy(account: HuaweiAccount, policyId: string): Policy {
  const policy = account.policies.find((p) => p.policyId === policyId);
  if (!policy) throw iamErrors.notFound('policy', policyId);
  return policy;
}

export function findAgency(account: HuaweiAccount, agencyId: string): Agency {
  const agency = account.agencies.find((a) => a.agencyId === agencyId);
  if (!agency) throw iamErrors.notFound('agency', agencyId);
  return agency;
}

export function attachmentIndex(account: HuaweiAccount, policyId: string, agencyId: string): number {
  return account.attachments.findIndex((a) => a.policyId === policyId && a.agencyId === agencyId);
}
