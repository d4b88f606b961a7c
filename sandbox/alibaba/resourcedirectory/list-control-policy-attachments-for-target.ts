import { directoryOf, findTarget } from '../accounts';
import { alibabaApi, required, rpcParams } from '../api';
import { effectScope } from './effect-scope';

export const listControlPolicyAttachmentsForTarget = alibabaApi({
  action: 'ListControlPolicyAttachmentsForTarget',
  permission: 'resourcemanager:ListControlPolicyAttachmentsForTarget',
  mutating: false,
  params: rpcParams({ TargetId: required }),
  handle({ TargetId: targetId }, context) {
    const directory = directoryOf(context);
    findTarget(directory, targetId);
    const attached = directory.controlPolicyAttachments.filter((a) => a.targetId === targetId);
    return {
      ControlPolicyAttachments: {
        ControlPolicyAttachment: attached.flatMap((a) => {
          const policy = directory.controlPolicies.find((p) => p.id === a.policyId);
          if (!policy) return [];
          return [
            {
              AttachDate: a.attachDate,
              Description: policy.description,
              EffectScope: effectScope(policy),
              PolicyId: policy.id,
              PolicyName: policy.name,
              PolicyType: policy.type,
            },
          ];
        }),
      },
    };
  },
});
