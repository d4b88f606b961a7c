import type { AuditHint } from '../events/types';
import { alibabaError } from '../providers/alibaba/errors';
import { policyAttachments, targetControlPolicies } from '../providers/alibaba/list-attachments';
import type { ProviderContext } from '../providers/types';
import { MAX_PAGES, type TargetRead } from './types';

/**
 * Resource Manager: ListPolicyAttachments filtered by the resource group (or account) and whatever else the
 * event names; ListControlPolicyAttachmentsForTarget for a Resource Directory target. The scan's list calls,
 * narrowed to the hint.
 */
export async function readAlibabaTarget(hint: AuditHint, context: ProviderContext): Promise<TargetRead> {
  const notes: string[] = [];
  const limits = { maxPages: MAX_PAGES };
  try {
    if (hint.provider === 'alibaba' && hint.operation === 'detach-policy') {
      const { resourceGroupId, principalType, principalName, policyType, policyName } = hint;
      const listed = await policyAttachments(
        context,
        { resourceGroupId, principalType, principalName, policyType, policyName },
        limits,
        notes,
      );
      // RAM's own calls name the principal without the account alias: `alice` is `alice@corp.onaliyun.com`.
      const short = hint.principalShortName?.toLowerCase();
      const attachments = listed
        .filter((a) => a.request.resourceGroupId === resourceGroupId)
        .filter((a) => {
          const name = a.request.principalName;
          return (
            short === undefined || (typeof name === 'string' && name.toLowerCase().split('@')[0] === short)
          );
        });
      return { ok: true, attachments, notes };
    }
    if (hint.provider === 'alibaba' && hint.operation === 'detach-control-policy')
      return {
        ok: true,
        attachments: await targetControlPolicies(context, hint.targetId, hint.policyId, limits),
        notes,
      };
    return { ok: true, attachments: [], notes: [`not an Alibaba hint: ${hint.provider}`] };
  } catch (error) {
    return { ok: false, error: alibabaError(error) };
  }
}
