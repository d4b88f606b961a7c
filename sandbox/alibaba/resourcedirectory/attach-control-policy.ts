import { alibabaApi } from '../api';
import { isoSeconds } from '../dates';
import { changeContext, changeParams } from './change';
import { rd } from './errors';

export const attachControlPolicy = alibabaApi({
  action: 'AttachControlPolicy',
  // docs/sources.md, "Alibaba permissions": control policies stay `resourcemanager:` actions.
  permission: 'resourcemanager:AttachControlPolicy',
  mutating: true,
  params: changeParams,
  handle({ PolicyId: policyId, TargetId: targetId }, context) {
    const directory = changeContext(policyId, targetId, context);
    const attachments = directory.controlPolicyAttachments;
    if (attachments.some((a) => a.policyId === policyId && a.targetId === targetId))
      throw rd.attachmentExists();
    attachments.push({ policyId, targetId, attachDate: isoSeconds(context.now) });
    return {};
  },
});
