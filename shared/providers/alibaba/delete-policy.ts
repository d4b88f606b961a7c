import {
  DeletePolicyRequest,
  DeletePolicyVersionRequest,
  DetachPolicyRequest,
  ListPolicyAttachmentsRequest,
  ListPolicyVersionsRequest,
} from '@alicloud/resourcemanager20200331';
import type { AlibabaDeletePolicy } from '../../requests';
import type { CallResult, ProviderContext, ProviderOperation, ReadResult } from '../types';
import { resourceManager } from './client';
import { alibabaError, callAlibaba } from './errors';

const PAGE_SIZE = 100;
// Bounded: 50 pages of 100 is far past any real account's attachments of one policy.
const MAX_PAGES = 50;

/**
 * Seed 004: delete a custom policy. With `cascade`, first detach it from every principal and delete
 * its non-default versions, the two things that block deletion (DeleteConflict.Policy.*).
 */
export const deletePolicy: ProviderOperation<AlibabaDeletePolicy> = {
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
      const cleared = await clearBlockers(request.policyName, context);
      if (!cleared.ok) return cleared;
    }
    return callAlibaba(() =>
      resourceManager(context).deletePolicy(new DeletePolicyRequest({ policyName: request.policyName })),
    );
  },

  async stillPresent(request, context): Promise<ReadResult> {
    try {
      await resourceManager(context).listPolicyVersions(
        new ListPolicyVersionsRequest({ policyName: request.policyName, policyType: 'Custom' }),
      );
      return { ok: true, present: true };
    } catch (error) {
      const failure = alibabaError(error);
      if (failure.errorClass === 'already-gone') return { ok: true, present: false };
      return { ok: false, present: true, error: failure };
    }
  },
};

async function clearBlockers(policyName: string, context: ProviderContext): Promise<CallResult> {
  const client = resourceManager(context);
  try {
    for (let page = 1; page <= MAX_PAGES; page++) {
      // Detaching shrinks the list, so always read the first page again until it is empty.
      const listed = await client.listPolicyAttachments(
        new ListPolicyAttachmentsRequest({
          policyName,
          policyType: 'Custom',
          pageNumber: 1,
          pageSize: PAGE_SIZE,
        }),
      );
      const attachments = listed.body?.policyAttachments?.policyAttachment ?? [];
      if (attachments.length === 0) break;
      for (const a of attachments) {
        const detached = await callAlibaba(() =>
          client.detachPolicy(
            new DetachPolicyRequest({
              resourceGroupId: a.resourceGroupId,
              policyType: 'Custom',
              policyName,
              principalType: a.principalType,
              principalName: a.principalName,
            }),
          ),
        );
        if (!detached.ok && detached.error.errorClass !== 'already-gone') return detached;
      }
    }
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
