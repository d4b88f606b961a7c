import type { AuditHint } from '../events/types';
import { listTargetAttachments } from '../providers/tencent/list-attachments';
import type { ProviderContext } from '../providers/types';
import { MAX_PAGES, type TargetRead } from './types';

/**
 * Organization: the policies bound to the target (ListPoliciesForTarget, per policy type), or, when the event
 * names only the policy, its targets (ListTargetsForPolicy): the scan's lister narrowed to the hint. The
 * target's kind, when the event does not say it, is what ListTargetsForPolicy reports for it (RelatedType).
 * A policy type the organization has not enabled holds nothing.
 */
export async function readTencentTarget(hint: AuditHint, context: ProviderContext): Promise<TargetRead> {
  if (hint.provider !== 'tencent')
    return { ok: true, attachments: [], notes: [`not a Tencent hint: ${hint.provider}`] };
  const { attachments, notes, error } = await listTargetAttachments(context, hint, { maxPages: MAX_PAGES });
  return error ? { ok: false, error } : { ok: true, attachments, notes };
}
