import { tencentApi } from '../api';
import { bindingIndex, bindingParams, resolveBinding } from './binding';
import { beijingTime } from './organization';

export const attachPolicy = tencentApi({
  action: 'AttachPolicy',
  // CAM names Organization actions `organization:<Action>` (the denial's wording, dialect.ts).
  permission: 'organization:AttachPolicy',
  mutating: true,
  params: bindingParams,
  handle(params, context) {
    const call = resolveBinding(params, context);
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
});
