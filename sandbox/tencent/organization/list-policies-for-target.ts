import { tencentApi, tencentParams } from '../api';
import { PAGE_FIELDS, pageOf } from '../paging';
import { listPolicyType, RELATED_TYPE } from './list-kinds';
import { managedOrganization, targetName } from './organization';

export const listPoliciesForTarget = tencentApi({
  action: 'ListPoliciesForTarget',
  permission: 'organization:ListPoliciesForTarget',
  mutating: false,
  params: tencentParams({
    TargetId: { type: 'integer', required: true },
    ...PAGE_FIELDS,
    PolicyType: { type: 'string' },
    Keyword: { type: 'string' },
  } as const).transform((params) => ({ ...params, PolicyType: listPolicyType(params.PolicyType) })),
  handle(params, { state, caller }) {
    const org = managedOrganization(state, caller);
    // The call names no target type: it lists whatever is bound under that ID. An ID that is no
    // department or member simply has no bindings.
    const items = org.bindings.flatMap((binding) => {
      const policy = org.policies.find((p) => p.policyId === binding.policyId);
      if (binding.targetId !== params.TargetId || !policy || policy.type !== params.PolicyType) return [];
      if (params.Keyword && !policy.name.includes(params.Keyword)) return [];
      return [
        {
          StrategyId: policy.policyId,
          StrategyName: policy.name,
          Remark: policy.description,
          Uin: binding.targetId,
          Type: RELATED_TYPE[binding.targetType],
          AddTime: policy.addTime,
          UpdateTime: policy.addTime,
          Name: targetName(org, binding.targetType, binding.targetId),
          AttachTime: binding.addTime,
        },
      ];
    });
    return pageOf(items, params.Rp, params.Page);
  },
});
