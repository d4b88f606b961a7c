import { tencentApi } from '../api';
import { bindingIndex, bindingParams, resolveBinding } from './binding';
import { orgErrors, policyTypeOf } from './organization';

/** DetachPolicy: the call the remediation makes. */
export const detachPolicy = tencentApi({
  action: 'DetachPolicy',
  permission: 'organization:DetachPolicy',
  mutating: true,
  // The API page: "A maximum of 20 requests can be initiated per second for this API."
  rateLimit: 20,
  params: bindingParams,
  handle(params, context) {
    const call = resolveBinding(params, context);
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
});
