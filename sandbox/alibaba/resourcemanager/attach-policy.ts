import { accountOf } from '../accounts';
import { alibabaApi } from '../api';
import { isoSeconds } from '../dates';
import { attachmentKey, attachmentParams, sameAttachment } from './attachment';
import { attachmentExists } from './errors';

/** AttachPolicy: attaching what is attached already is refused (EntityAlreadyExists.*). */
export const attachPolicy = alibabaApi({
  action: 'AttachPolicy',
  // Authorised as a RAM action like DetachPolicy (docs/sources.md, "Alibaba permissions").
  permission: 'ram:AttachPolicy',
  mutating: true,
  params: attachmentParams,
  handle(params, context) {
    const key = attachmentKey(params, context);
    const attachments = accountOf(context).attachments;
    if (attachments.some(sameAttachment(key))) throw attachmentExists(key.principalType);
    attachments.push({ ...key, attachDate: isoSeconds(context.now) });
    return {};
  },
});
