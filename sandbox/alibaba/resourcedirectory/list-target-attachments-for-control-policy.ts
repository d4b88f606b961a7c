import { directoryOf, findControlPolicy, lookupTarget, type Target } from '../accounts';
import { alibabaApi, PAGE_FIELDS, required, rpcParams } from '../api';
import { pageOf } from '../paging';

export const listTargetAttachmentsForControlPolicy = alibabaApi({
  action: 'ListTargetAttachmentsForControlPolicy',
  permission: 'resourcemanager:ListTargetAttachmentsForControlPolicy',
  mutating: false,
  params: rpcParams({ PolicyId: required, ...PAGE_FIELDS }),
  handle(params, context) {
    const policyId = params.PolicyId;
    const directory = directoryOf(context);
    findControlPolicy(directory, policyId);
    const attached = directory.controlPolicyAttachments.flatMap((a) => {
      const target = a.policyId === policyId ? lookupTarget(directory, a.targetId) : undefined;
      return target ? [{ target, attachDate: a.attachDate }] : [];
    });
    const { items, ...page } = pageOf<{ target: Target; attachDate: string }>(attached, params);
    return {
      ...page,
      TargetAttachments: {
        TargetAttachment: items.map(({ target, attachDate }) => ({
          AttachDate: attachDate,
          TargetId: target.id,
          TargetName: target.name,
          TargetType: target.type,
        })),
      },
    };
  },
});
