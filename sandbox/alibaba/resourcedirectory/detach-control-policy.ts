import { alibabaApi } from '../api';
import { changeContext, changeParams } from './change';
import { rd } from './errors';

/**
 * The last policy on a target stays (docs/sources.md, "Error codes"); the count is of policies attached to
 * that target itself, not inherited ones.
 */
export const detachControlPolicy = alibabaApi({
  action: 'DetachControlPolicy',
  // docs/sources.md, "Alibaba permissions": control policies stay `resourcemanager:` actions.
  permission: 'resourcemanager:DetachControlPolicy',
  mutating: true,
  params: changeParams,
  handle({ PolicyId: policyId, TargetId: targetId }, context) {
    const directory = changeContext(policyId, targetId, context);
    const attachments = directory.controlPolicyAttachments;
    const index = attachments.findIndex((a) => a.policyId === policyId && a.targetId === targetId);
    if (index === -1) throw rd.attachmentNotFound();
    if (attachments.filter((a) => a.targetId === targetId).length === 1) throw rd.lastPolicy();
    attachments.splice(index, 1);
    return {};
  },
});
