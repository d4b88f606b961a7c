import { DetachPolicyRequest, ListPolicyAttachmentsRequest } from '@alicloud/resourcemanager20200331';
import type { AlibabaDetachPolicy } from '../../requests';
import { withMissing } from '../classify';
import { ABSENT, type Presence, type ProviderOperation, presence } from '../types';
import { resourceManager } from './client';
import { alibabaError, callAlibaba } from './errors';

/**
 * What a "gone" code says does not exist. EntityNotExist.User/Group/Role.Policy say only "not attached"
 * (the principal may or may not exist), so they name nothing; RAM's own EntityNotExist.User/Group/Role
 * name the principal.
 */
function missingOf(code: string, request: AlibabaDetachPolicy): string | undefined {
  switch (code) {
    case 'EntityNotExist.Policy':
      return `policy ${request.policyName}`;
    case 'EntityNotExists.ResourceGroup':
      return `resource group ${request.resourceGroupId}`;
    case 'EntityNotExist.User':
    case 'EntityNotExist.Group':
    case 'EntityNotExist.Role':
      return `${code.slice('EntityNotExist.'.length).toLowerCase()} ${request.principalName}`;
    default:
      return undefined;
  }
}

/**
 * Detach a RAM policy from a user, group or role in a resource group or the whole account: Resource Manager
 * DetachPolicy API page (docs/sources.md, Vendor API pages).
 */
export const detachPolicy: ProviderOperation<AlibabaDetachPolicy> = {
  effect: 'detach',
  // RAM actions, not `resourcemanager:` ones: docs/sources.md, "Alibaba permissions".
  permissions: ['ram:DetachPolicy', 'ram:ListPolicyAttachments'],

  execute: async (request, context) =>
    withMissing(
      await callAlibaba(() =>
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
      (code) => missingOf(code, request),
    ),

  async stillPresent(request, context): Promise<Presence> {
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
      return presence((response.body?.totalCount ?? 0) > 0);
    } catch (error) {
      const failure = alibabaError(error);
      // The group or policy is gone, so no attachment can remain.
      if (failure.errorClass === 'already-gone') return ABSENT;
      return { state: 'unknown', error: failure };
    }
  },
};
