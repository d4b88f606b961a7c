import { DetachPolicyRequest, ListPolicyAttachmentsRequest } from '@alicloud/resourcemanager20200331';
import type { AlibabaDetachPolicy } from '../../requests';
import type { ProviderOperation, ReadResult } from '../types';
import { resourceManager } from './client';
import { alibabaError, callAlibaba } from './errors';

/** Seed 000: detach a RAM policy from a user, group or role in a resource group or the whole account. */
export const detachPolicy: ProviderOperation<AlibabaDetachPolicy> = {
  // RAM actions, not `resourcemanager:` ones: docs/sources.md, "Alibaba permissions".
  permissions: ['ram:DetachPolicy', 'ram:ListPolicyAttachments'],

  execute: (request, context) =>
    callAlibaba(() =>
      resourceManager(context).detachPolicy(
        new DetachPolicyRequest({
          resourceGroupId: request.resourceGroupId,
          policyType: request.policyType,
          policyName: request.policyName,
          principalType: request.principalType,
          principalName: request.principalName,
        }),
      ),
    ),

  async stillPresent(request, context): Promise<ReadResult> {
    try {
      const response = await resourceManager(context).listPolicyAttachments(
        new ListPolicyAttachmentsRequest({
          resourceGroupId: request.resourceGroupId,
          policyType: request.policyType,
          policyName: request.policyName,
          principalType: request.principalType,
          principalName: request.principalName,
          pageSize: 1,
        }),
      );
      return { ok: true, present: (response.body?.totalCount ?? 0) > 0 };
    } catch (error) {
      const failure = alibabaError(error);
      // The group or policy is gone, so no attachment can remain.
      if (failure.errorClass === 'already-gone') return { ok: true, present: false };
      return { ok: false, present: true, error: failure };
    }
  },
};
