import { accountOf } from '../accounts';
import { alibabaApi } from '../api';
import { attachmentKey, attachmentParams, sameAttachment } from './attachment';
import { attachmentNotFound } from './errors';

/** DetachPolicy (resource group or account scope): the call the remediation makes. */
export const detachPolicy = alibabaApi({
  action: 'DetachPolicy',
  // docs/sources.md, "Alibaba permissions": authorised as `ram:DetachPolicy`, not `resourcemanager:`.
  permission: 'ram:DetachPolicy',
  mutating: true,
  params: attachmentParams,
  handle(params, context) {
    const key = attachmentKey(params, context);
    const attachments = accountOf(context).attachments;
    const index = attachments.findIndex(sameAttachment(key));
    if (index === -1) throw attachmentNotFound(key.principalType);
    attachments.splice(index, 1);
    return {};
  },
});
