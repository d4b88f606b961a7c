import { DetachAgencyPolicyReqBody } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyReqBody';
import { DetachAgencyPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyV5Request';
import { ListAttachedAgencyPoliciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAttachedAgencyPoliciesV5Request';
import type { HuaweiDetachAgencyPolicy } from '../../requests';
import type { ProviderOperation, ReadResult } from '../types';
import { iamClient } from './client';
import { callHuawei, huaweiError } from './errors';

const PAGE_SIZE = 200;
const MAX_PAGES = 20;

/** The SDK resolves with the raw JSON body (snake_case keys), not its camelCase model classes. */
interface AttachedPoliciesPage {
  attached_policies?: { policy_id?: string }[];
  page_info?: { next_marker?: string | null };
}

/** Seed 002: detach an identity policy from an agency or trust agency. */
export const detachAgencyPolicy: ProviderOperation<HuaweiDetachAgencyPolicy> = {
  permissions: ['iam:agencies:detachPolicyV5', 'iam:agencies:listAttachedPoliciesV5'],

  execute: (request, context) =>
    callHuawei(() =>
      iamClient(context).detachAgencyPolicyV5(
        new DetachAgencyPolicyV5Request()
          .withPolicyId(request.policyId)
          .withBody(new DetachAgencyPolicyReqBody().withAgencyId(request.agencyId)),
      ),
    ),

  async stillPresent(request, context): Promise<ReadResult> {
    const client = iamClient(context);
    let marker: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        let query = new ListAttachedAgencyPoliciesV5Request()
          .withAgencyId(request.agencyId)
          .withLimit(PAGE_SIZE);
        if (marker) query = query.withMarker(marker);
        const body = (await client.listAttachedAgencyPoliciesV5(query)) as unknown as AttachedPoliciesPage;
        if (body.attached_policies?.some((p) => p.policy_id === request.policyId))
          return { ok: true, present: true };
        marker = body.page_info?.next_marker ?? undefined;
        if (!marker) return { ok: true, present: false };
      }
      return { ok: true, present: false };
    } catch (error) {
      const failure = huaweiError(error);
      if (failure.errorClass === 'already-gone') return { ok: true, present: false };
      return { ok: false, present: true, error: failure };
    }
  },
};
