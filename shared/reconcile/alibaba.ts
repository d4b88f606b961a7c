import {
  ListControlPolicyAttachmentsForTargetRequest,
  ListPolicyAttachmentsRequest,
} from '@alicloud/resourcemanager20200331';
import type { AuditHint } from '../events/types';
import { resourceManager } from '../providers/alibaba/client';
import { alibabaError } from '../providers/alibaba/errors';
import { type ListedAttachment, readPages } from '../providers/listing';
import type { ProviderContext } from '../providers/types';
import { MAX_PAGES, type TargetRead } from './types';

const PAGE_SIZE = 100;

/**
 * Resource Manager: ListPolicyAttachments filtered by the resource group (or account) and whatever else the
 * event names; ListControlPolicyAttachmentsForTarget for a Resource Directory target.
 */
export async function readAlibabaTarget(hint: AuditHint, context: ProviderContext): Promise<TargetRead> {
  const notes: string[] = [];
  try {
    if (hint.provider === 'alibaba' && hint.operation === 'detach-policy')
      return { ok: true, attachments: await policyAttachments(hint, context, notes), notes };
    if (hint.provider === 'alibaba' && hint.operation === 'detach-control-policy')
      return { ok: true, attachments: await controlPolicies(hint, context), notes };
    return { ok: true, attachments: [], notes: [`not an Alibaba hint: ${hint.provider}`] };
  } catch (error) {
    return { ok: false, error: alibabaError(error) };
  }
}

async function policyAttachments(
  hint: Extract<AuditHint, { provider: 'alibaba'; operation: 'detach-policy' }>,
  context: ProviderContext,
  notes: string[],
): Promise<ListedAttachment[]> {
  const client = resourceManager(context);
  const listed = await readPages(
    1,
    async (page) => {
      const response = await client.listPolicyAttachments(
        new ListPolicyAttachmentsRequest({
          resourceGroupId: hint.resourceGroupId,
          principalType: hint.principalType,
          principalName: hint.principalName,
          policyType: hint.policyType,
          policyName: hint.policyName,
          pageNumber: page,
          pageSize: PAGE_SIZE,
        }),
      );
      const items = response.body?.policyAttachments?.policyAttachment ?? [];
      const total = response.body?.totalCount;
      return {
        items,
        next: (total === undefined ? items.length === PAGE_SIZE : page * PAGE_SIZE < total)
          ? page + 1
          : undefined,
      };
    },
    MAX_PAGES,
    'alibaba ListPolicyAttachments',
    notes,
  );
  // RAM's own calls name the principal without the account alias: `alice` is `alice@corp.onaliyun.com`.
  const short = hint.principalShortName?.toLowerCase();
  return listed
    .filter((a) => a.resourceGroupId === hint.resourceGroupId)
    .filter((a) => short === undefined || a.principalName?.toLowerCase().split('@')[0] === short)
    .map((a) => ({
      request: {
        provider: 'alibaba',
        operation: 'detach-policy',
        resourceGroupId: a.resourceGroupId,
        policyType: a.policyType,
        policyName: a.policyName,
        principalType: a.principalType,
        principalName: a.principalName,
      },
    }));
}

async function controlPolicies(
  hint: Extract<AuditHint, { operation: 'detach-control-policy' }>,
  context: ProviderContext,
): Promise<ListedAttachment[]> {
  const response = await resourceManager(context).listControlPolicyAttachmentsForTarget(
    new ListControlPolicyAttachmentsForTargetRequest({ targetId: hint.targetId }),
  );
  const attached = response.body?.controlPolicyAttachments?.controlPolicyAttachment ?? [];
  return attached
    .filter((a) => hint.policyId === undefined || a.policyId === hint.policyId)
    .map((a) => ({
      request: {
        provider: 'alibaba',
        operation: 'detach-control-policy',
        policyId: a.policyId,
        targetId: hint.targetId,
      },
      names: { policy: a.policyName },
    }));
}
