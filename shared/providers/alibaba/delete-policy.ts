import {
  DeletePolicyRequest,
  DeletePolicyVersionRequest,
  ListPolicyAttachmentsRequest,
  ListPolicyVersionsRequest,
} from '@alicloud/resourcemanager20200331';
import type { AlibabaDeletePolicy, AlibabaDetachPolicy, RemediationRequest } from '../../requests';
import {
  ABSENT,
  type CallResult,
  PRESENT,
  type Presence,
  type ProviderContext,
  type ProviderOperation,
} from '../types';
import { resourceManager } from './client';
import { alibabaError, callAlibaba } from './errors';

const PAGE_SIZE = 100;
// Bounded: 50 pages of 100 is far past any real account's attachments of one policy.
const MAX_PAGES = 50;

/**
 * Delete a custom policy (Resource Manager DeletePolicy API page, docs/sources.md, Vendor API pages). With
 * `cascade`, the engine first detaches it from every principal, each detach a request of its own
 * (`cascadeDetaches`: exemptions and the breaker apply to each); the delete then removes the non-default
 * versions, the other thing that blocks deletion (DeleteConflict.Policy.Version). An attachment still there
 * makes the delete fail with DeleteConflict.Policy.User/Group/Role, which is dead-lettered
 * attached-elsewhere: nothing here detaches.
 */
export const deletePolicy: ProviderOperation<AlibabaDeletePolicy> = {
  effect: 'delete',
  // RAM actions, not `resourcemanager:` ones: docs/sources.md, "Alibaba permissions".
  permissions: [
    'ram:DeletePolicy',
    'ram:ListPolicyAttachments',
    'ram:DetachPolicy',
    'ram:ListPolicyVersions',
    'ram:DeletePolicyVersion',
  ],

  async execute(request, context) {
    if (request.cascade) {
      const cleared = await deleteOldVersions(request.policyName, context);
      if (!cleared.ok) return cleared;
    }
    return callAlibaba(() =>
      resourceManager(context).deletePolicy(new DeletePolicyRequest({ policyName: request.policyName })),
    );
  },

  async stillPresent(request, context): Promise<Presence> {
    try {
      await resourceManager(context).listPolicyVersions(
        new ListPolicyVersionsRequest({ policyName: request.policyName, policyType: 'Custom' }),
      );
      return PRESENT;
    } catch (error) {
      const failure = alibabaError(error);
      if (failure.errorClass === 'already-gone') return ABSENT;
      return { state: 'unknown', error: failure };
    }
  },

  async cascadeDetaches(request, context) {
    const client = resourceManager(context);
    const requests: RemediationRequest[] = [];
    try {
      for (let page = 1; page <= MAX_PAGES; page++) {
        const listed = await client.listPolicyAttachments(
          new ListPolicyAttachmentsRequest({
            policyName: request.policyName,
            policyType: 'Custom',
            pageNumber: page,
            pageSize: PAGE_SIZE,
          }),
        );
        const attachments = listed.body?.policyAttachments?.policyAttachment ?? [];
        for (const a of attachments) {
          requests.push({
            provider: 'alibaba',
            operation: 'detach-policy',
            resourceGroupId: String(a.resourceGroupId),
            policyType: 'Custom',
            policyName: request.policyName,
            principalType: a.principalType as AlibabaDetachPolicy['principalType'],
            principalName: String(a.principalName),
          });
        }
        if (attachments.length < PAGE_SIZE) break;
      }
      return { ok: true, requests };
    } catch (error) {
      const failure = alibabaError(error);
      // A policy that is gone has nothing attached: the delete then answers already-compliant.
      if (failure.errorClass === 'already-gone') return { ok: true, requests: [] };
      return { ok: false, error: failure };
    }
  },
};

async function deleteOldVersions(policyName: string, context: ProviderContext): Promise<CallResult> {
  const client = resourceManager(context);
  try {
    const versions = await client.listPolicyVersions(
      new ListPolicyVersionsRequest({ policyName, policyType: 'Custom' }),
    );
    for (const v of versions.body?.policyVersions?.policyVersion ?? []) {
      if (v.isDefaultVersion) continue;
      const deleted = await callAlibaba(() =>
        client.deletePolicyVersion(new DeletePolicyVersionRequest({ policyName, versionId: v.versionId })),
      );
      if (!deleted.ok && deleted.error.errorClass !== 'already-gone') return deleted;
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, error: alibabaError(error) };
  }
}
