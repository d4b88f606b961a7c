import type { Caller } from '../../types';
import { tencentError } from '../errors';
import type { TENCENT_POLICY_TYPES, TENCENT_TARGET_TYPES, TencentOrganization, TencentState } from '../state';

export type PolicyType = (typeof TENCENT_POLICY_TYPES)[number];
export type TargetType = (typeof TENCENT_TARGET_TYPES)[number];
export type Policy = TencentOrganization['policies'][number];
export type Binding = TencentOrganization['bindings'][number];

/** The Organization product's own codes (organization/v20210331/errors.go of the Tencent SDKs). */
export const orgErrors = {
  notManager: () =>
    tencentError(
      'InvalidParameter.OrganizationMemberNotManager',
      'The member is not an enterprise administrator.',
    ),
  organizationNotExist: () =>
    tencentError('ResourceNotFound.OrganizationNotExist', 'The organization does not exist.'),
  policyTypeNotEnabled: (type: PolicyType) =>
    tencentError('FailedOperation.OrganizationPolicyIsNotEnabled', `Group policy ${type} is not enabled.`),
  policyIdNotExist: (policyId: number) =>
    tencentError(
      'InvalidParameter.PolicyIdNotExist',
      `Policy ID ${policyId} does not exist in this organization.`,
    ),
  policyNotExist: (policyId: number) =>
    tencentError('ResourceNotFound.PolicyNotExist', `Policy ${policyId} does not exist.`),
  paramError: (detail: string) => tencentError('InvalidParameter.ParamError', `Parameter error: ${detail}`),
  nodeNotExist: (nodeId: number) =>
    tencentError('ResourceNotFound.OrganizationNodeNotExist', `Organization node ${nodeId} does not exist.`),
  memberNotExist: (uin: number) =>
    tencentError('ResourceNotFound.OrganizationMemberNotExist', `Organization member ${uin} does not exist.`),
  detachPolicyError: (policyId: number, targetId: number) =>
    tencentError(
      'FailedOperation.OrganizationDetachPolicyError',
      `Unbind policy failed: policy ${policyId} is not bound to target ${targetId}.`,
    ),
  detachLastPolicyError: (targetId: number) =>
    tencentError(
      'FailedOperation.OrganizationDetachLastPolicyError',
      `Unbind the last policy failed: target ${targetId} must keep at least one service control policy.`,
    ),
} as const;

/**
 * The organization the caller manages. Policies are managed from the management (owner) account
 * only; a member account is refused, an account in no organization has none to act on.
 */
export function managedOrganization(state: TencentState, caller: Caller): TencentOrganization {
  const organizations = state.organizations;
  const owned = organizations.find((org) => org.ownerUin === caller.account);
  if (owned) return owned;
  if (organizations.some((org) => org.members.some((m) => m.uin === caller.account)))
    throw orgErrors.notManager();
  throw orgErrors.organizationNotExist();
}

/**
 * A policy of the caller's organization, of the type the call names. Two codes for a missing
 * policy, in two distinct conditions: an ID that is another organization's policy is a parameter
 * the caller may not use (InvalidParameter.PolicyIdNotExist); an ID no organization holds is a
 * resource that does not exist (ResourceNotFound.PolicyNotExist).
 */
export function requirePolicy(
  state: TencentState,
  org: TencentOrganization,
  policyId: number,
  type: PolicyType,
): Policy {
  const policy = org.policies.find((p) => p.policyId === policyId);
  if (!policy) {
    const elsewhere = state.organizations.some(
      (other) => other !== org && other.policies.some((p) => p.policyId === policyId),
    );
    throw elsewhere ? orgErrors.policyIdNotExist(policyId) : orgErrors.policyNotExist(policyId);
  }
  if (policy.type !== type) {
    throw orgErrors.paramError(`policy ${policyId} is a ${policy.type}, not a ${type}.`);
  }
  return policy;
}

/** The target's display name; throws the product's not-found code for its kind. */
export function requireTarget(org: TencentOrganization, targetType: TargetType, targetId: number): string {
  if (targetType === 'NODE') {
    const node = org.nodes.find((n) => n.nodeId === targetId);
    if (!node) throw orgErrors.nodeNotExist(targetId);
    return node.name;
  }
  const member = org.members.find((m) => m.uin === String(targetId));
  if (!member) throw orgErrors.memberNotExist(targetId);
  return member.name;
}

export function targetName(org: TencentOrganization, targetType: TargetType, targetId: number): string {
  if (targetType === 'NODE') return org.nodes.find((n) => n.nodeId === targetId)?.name ?? '';
  return org.members.find((m) => m.uin === String(targetId))?.name ?? '';
}

export function policyTypeOf(org: TencentOrganization, policyId: number): PolicyType | undefined {
  return org.policies.find((p) => p.policyId === policyId)?.type;
}

/** Tencent reports times as Beijing local time, `YYYY-MM-DD HH:mm:ss`. */
export function beijingTime(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}
