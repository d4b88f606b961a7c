import type { Operation, OperationContext } from '../../types';
import { directoryOf, findControlPolicy, findTarget, lookupTarget, type Target } from '../accounts';
import { gateway } from '../errors';
import { pageOf } from '../paging';
import { rd } from '../resourcedirectory/errors';
import type { AlibabaControlPolicy } from '../state';
import { isoSeconds, rpc } from './define';

/**
 * Attach/detach need the caller's resource directory with the Control Policy feature enabled, then an
 * existing target and policy. Lists only need the directory.
 */
function changeContext(policyId: string, targetId: string, context: OperationContext) {
  const directory = directoryOf(context);
  if (!directory.controlPolicyEnabled) throw rd.featureDisabled();
  findTarget(directory, targetId);
  findControlPolicy(directory, policyId);
  return directory;
}

const attachControlPolicy = rpc(true, (params, context) => {
  const policyId = params.required('PolicyId');
  const targetId = params.required('TargetId');
  const directory = changeContext(policyId, targetId, context);
  const attachments = directory.controlPolicyAttachments;
  if (attachments.some((a) => a.policyId === policyId && a.targetId === targetId))
    throw rd.attachmentExists();
  attachments.push({ policyId, targetId, attachDate: isoSeconds(context.now) });
  return {};
});

/** Seed 001: the last policy on a target stays; the count is of policies attached to that target itself. */
const detachControlPolicy = rpc(true, (params, context) => {
  const policyId = params.required('PolicyId');
  const targetId = params.required('TargetId');
  const directory = changeContext(policyId, targetId, context);
  const attachments = directory.controlPolicyAttachments;
  const index = attachments.findIndex((a) => a.policyId === policyId && a.targetId === targetId);
  if (index === -1) throw rd.attachmentNotFound();
  if (attachments.filter((a) => a.targetId === targetId).length === 1) throw rd.lastPolicy();
  attachments.splice(index, 1);
  return {};
});

const effectScope = (p: AlibabaControlPolicy) => p.effectScope ?? (p.type === 'System' ? 'All' : 'RAM');

const listControlPolicyAttachmentsForTarget = rpc(false, (params, context) => {
  const targetId = params.required('TargetId');
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
});

const listTargetAttachmentsForControlPolicy = rpc(false, (params, context) => {
  const policyId = params.required('PolicyId');
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
});

/**
 * The directory's control policies, System and Custom, paged; `PolicyType` filters (invalid values are
 * refused like every other enum). AttachmentCount is a string, as the SDK's model types it.
 */
const listControlPolicies = rpc(false, (params, context) => {
  const type = params.optionalOneOf('PolicyType', ['System', 'Custom'] as const, () =>
    gateway.invalidParameter('PolicyType'),
  );
  const directory = directoryOf(context);
  const matching = directory.controlPolicies.filter((p) => type === undefined || p.type === type);
  const { items, ...page } = pageOf(matching, params);
  return {
    ...page,
    ControlPolicies: {
      ControlPolicy: items.map((p) => ({
        AttachmentCount: String(directory.controlPolicyAttachments.filter((a) => a.policyId === p.id).length),
        CreateDate: p.createDate,
        Description: p.description,
        EffectScope: effectScope(p),
        PolicyId: p.id,
        PolicyName: p.name,
        PolicyType: p.type,
        UpdateDate: p.createDate,
      })),
    },
  };
});

export const controlPolicyOperations: Record<string, Operation> = {
  AttachControlPolicy: attachControlPolicy,
  DetachControlPolicy: detachControlPolicy,
  ListControlPolicyAttachmentsForTarget: listControlPolicyAttachmentsForTarget,
  ListTargetAttachmentsForControlPolicy: listTargetAttachmentsForControlPolicy,
  ListControlPolicies: listControlPolicies,
};
