import type { ApiContext } from '../../types';
import { tencentParams } from '../api';
import { oneOf } from '../params';
import {
  TENCENT_POLICY_TYPES,
  TENCENT_TARGET_TYPES,
  type TencentOrganization,
  type TencentState,
} from '../state';
import {
  managedOrganization,
  orgErrors,
  type PolicyType,
  requirePolicy,
  requireTarget,
  type TargetType,
} from './organization';

/**
 * AttachPolicy and DetachPolicy share their input (the DetachPolicy page and its AttachPolicy sibling):
 * the gateway's types first, then the enumerations.
 */
export const bindingParams = tencentParams({
  TargetId: { type: 'integer', required: true },
  TargetType: { type: 'string', required: true },
  PolicyId: { type: 'integer', required: true },
  Type: { type: 'string' },
} as const).transform((params) => ({
  policyId: params.PolicyId,
  targetId: params.TargetId,
  targetType: oneOf(params.TargetType, TENCENT_TARGET_TYPES, 'TargetType', 'InvalidParameter.ParamError'),
  type: oneOf(
    params.Type ?? 'SERVICE_CONTROL_POLICY',
    TENCENT_POLICY_TYPES,
    'Type',
    'InvalidParameter.ParamError',
  ),
}));

export interface BindingCall {
  org: TencentOrganization;
  policyId: number;
  targetId: number;
  targetType: TargetType;
  type: PolicyType;
}

/**
 * The caller's organization, the policy type being enabled, the policy, then the target: a fixed order,
 * so each error code has one reproducible condition (the API pages do not state the real service's order).
 */
export function resolveBinding(
  params: Omit<BindingCall, 'org'>,
  { state, caller }: ApiContext<TencentState>,
): BindingCall {
  const org = managedOrganization(state, caller);
  if (!org.enabledPolicyTypes.includes(params.type)) throw orgErrors.policyTypeNotEnabled(params.type);
  requirePolicy(state, org, params.policyId, params.type);
  requireTarget(org, params.targetType, params.targetId);
  return { org, ...params };
}

export function bindingIndex({ org, policyId, targetId, targetType }: BindingCall): number {
  return org.bindings.findIndex(
    (b) => b.policyId === policyId && b.targetId === targetId && b.targetType === targetType,
  );
}
