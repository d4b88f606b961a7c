import { DetachAgencyPolicyReqBody } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyReqBody';
import { DetachAgencyPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyV5Request';
import { ListAttachedAgencyPoliciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAttachedAgencyPoliciesV5Request';
import { ListEntitiesForPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListEntitiesForPolicyV5Request';
import type { HuaweiDetachAgencyPolicy } from '../../requests';
import { ABSENT, PRESENT, type Presence, type ProviderContext, type ProviderOperation } from '../types';
import { iamClient } from './client';
import { callHuawei, huaweiError } from './errors';

const PAGE_SIZE = 200;
const MAX_PAGES = 20;

/** The SDK resolves with the raw JSON body (snake_case keys), not its camelCase model classes. */
interface AttachedPoliciesPage {
  attached_policies?: { policy_id?: string }[];
  page_info?: { next_marker?: string | null };
}

/**
 * A 404 on detach does not say whether the policy, the agency or only the attachment is missing (and the
 * IAM v5 error page's 404 codes could not be read), so two cheap reads tell: the agency's attached
 * policies and the policy's attached entities, one item each; a 404 means that one does not exist. A
 * read that fails otherwise (refused, down) says nothing, and nothing is reported missing for it.
 */
async function missingOf(
  request: HuaweiDetachAgencyPolicy,
  context: ProviderContext,
): Promise<string | undefined> {
  const client = iamClient(context);
  const absent = async (read: () => Promise<unknown>): Promise<boolean> => {
    try {
      await read();
      return false;
    } catch (error) {
      return huaweiError(error).httpStatus === 404;
    }
  };
  const [policyAbsent, agencyAbsent] = await Promise.all([
    absent(() =>
      client.listEntitiesForPolicyV5(
        new ListEntitiesForPolicyV5Request().withPolicyId(request.policyId).withLimit(1),
      ),
    ),
    absent(() =>
      client.listAttachedAgencyPoliciesV5(
        new ListAttachedAgencyPoliciesV5Request().withAgencyId(request.agencyId).withLimit(1),
      ),
    ),
  ]);
  const missing = [
    ...(policyAbsent ? [`policy ${request.policyId}`] : []),
    ...(agencyAbsent ? [`agency ${request.agencyId}`] : []),
  ];
  return missing.length > 0 ? missing.join(' and ') : undefined;
}

/**
 * Detach an identity policy from an agency or trust agency: IAM v5 DetachAgencyPolicyV5 API page
 * (docs/sources.md, Vendor API pages).
 */
export const detachAgencyPolicy: ProviderOperation<HuaweiDetachAgencyPolicy> = {
  effect: 'detach',
  permissions: ['iam:agencies:detachPolicyV5', 'iam:agencies:listAttachedPoliciesV5'],

  async execute(request, context) {
    const result = await callHuawei(() =>
      iamClient(context).detachAgencyPolicyV5(
        new DetachAgencyPolicyV5Request()
          .withPolicyId(request.policyId)
          .withBody(new DetachAgencyPolicyReqBody().withAgencyId(request.agencyId)),
      ),
    );
    if (result.ok || result.error.errorClass !== 'already-gone') return result;
    const missing = await missingOf(request, context);
    return missing ? { ok: false, error: { ...result.error, missing } } : result;
  },

  async stillPresent(request, context): Promise<Presence> {
    const client = iamClient(context);
    let marker: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        let query = new ListAttachedAgencyPoliciesV5Request()
          .withAgencyId(request.agencyId)
          .withLimit(PAGE_SIZE);
        if (marker) query = query.withMarker(marker);
        const body = (await client.listAttachedAgencyPoliciesV5(query)) as unknown as AttachedPoliciesPage;
        if (body.attached_policies?.some((p) => p.policy_id === request.policyId)) return PRESENT;
        marker = body.page_info?.next_marker ?? undefined;
        if (!marker) return ABSENT;
      }
      return ABSENT;
    } catch (error) {
      const failure = huaweiError(error);
      if (failure.errorClass === 'already-gone') return ABSENT;
      return { state: 'unknown', error: failure };
    }
  },
};
