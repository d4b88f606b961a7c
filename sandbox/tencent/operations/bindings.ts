import type { Operation, OperationContext, RawRequest } from '../../types';
import {
  beijingTime,
  managedOrganization,
  orgErrors,
  type PolicyType,
  policyTypeOf,
  requirePolicy,
  requireTarget,
  type TargetType,
} from '../organization/organization';
import { oneOf, readParams } from '../params';
import { TENCENT_POLICY_TYPES, TENCENT_TARGET_TYPES, type TencentOrganization } from '../state';

/** AttachPolicy and DetachPolicy share their input (seed 003 and its AttachPolicy sibling). */
const BINDING_SPEC = {
  TargetId: { type: 'integer', required: true },
  TargetType: { type: 'string', required: true },
  PolicyId: { type: 'integer', required: true },
  Type: { type: 'string' },
} as const;

interface BindingCall {
  org: TencentOrganization;
  policyId: number;
  targetId: number;
  targetType: TargetType;
  type: PolicyType;
}

/**
 * Checks run in a fixed order, so each error code has one reproducible condition: parameters, the
 * caller's organization, the policy type being enabled, the policy, then the target. (The seed does
 * not state the real service's order.)
 */
function resolve(request: RawRequest, { world, caller }: OperationContext): BindingCall {
  const params = readParams(request, BINDING_SPEC);
  const targetType = oneOf(
    params.TargetType,
    TENCENT_TARGET_TYPES,
    'TargetType',
    'InvalidParameter.ParamError',
  );
  const type = oneOf(
    params.Type ?? 'SERVICE_CONTROL_POLICY',
    TENCENT_POLICY_TYPES,
    'Type',
    'InvalidParameter.ParamError',
  );
  const org = managedOrganization(world, caller);
  if (!org.enabledPolicyTypes.includes(type)) throw orgErrors.policyTypeNotEnabled(type);
  requirePolicy(world, org, params.PolicyId, type);
  requireTarget(org, targetType, params.TargetId);
  return { org, policyId: params.PolicyId, targetId: params.TargetId, targetType, type };
}

function bindingIndex({ org, policyId, targetId, targetType }: BindingCall): number {
  return org.bindings.findIndex(
    (b) => b.policyId === policyId && b.targetId === targetId && b.targetType === targetType,
  );
}

export const attachPolicy: Operation = {
  mutating: true,
  handle(request, context) {
    const call = resolve(request, context);
    // Binding a policy that is already bound changes nothing and is not refused.
    if (bindingIndex(call) === -1) {
      call.org.bindings.push({
        policyId: call.policyId,
        targetId: call.targetId,
        targetType: call.targetType,
        addTime: beijingTime(context.now),
      });
    }
    return {};
  },
};

export const detachPolicy: Operation = {
  mutating: true,
  handle(request, context) {
    const call = resolve(request, context);
    const index = bindingIndex(call);
    // The policy and the target both exist but are not bound to each other.
    if (index === -1) throw orgErrors.detachPolicyError(call.policyId, call.targetId);
    // Once SCP is enabled every department and member keeps at least one service control policy
    // (FullQcloudAccess by default). Tag policies are never bound by default: no such rule for them.
    if (call.type === 'SERVICE_CONTROL_POLICY') {
      const remaining = call.org.bindings.filter(
        (b) =>
          b.targetId === call.targetId &&
          b.targetType === call.targetType &&
          policyTypeOf(call.org, b.policyId) === 'SERVICE_CONTROL_POLICY',
      );
      if (remaining.length <= 1) throw orgErrors.detachLastPolicyError(call.targetId);
    }
    call.org.bindings.splice(index, 1);
    return {};
  },
};
