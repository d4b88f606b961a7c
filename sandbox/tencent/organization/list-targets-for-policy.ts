import { tencentApi, tencentParams } from '../api';
import { PAGE_FIELDS, pageOf } from '../paging';
import { oneOf } from '../params';
import { listPolicyType, RELATED_TYPE } from './list-kinds';
import { managedOrganization, orgErrors, targetName } from './organization';

export const listTargetsForPolicy = tencentApi({
  action: 'ListTargetsForPolicy',
  permission: 'organization:ListTargetsForPolicy',
  mutating: false,
  params: tencentParams({
    PolicyId: { type: 'integer', required: true },
    ...PAGE_FIELDS,
    TargetType: { type: 'string' },
    PolicyType: { type: 'string' },
    Keyword: { type: 'string' },
  } as const).transform((params) => ({
    ...params,
    TargetType: oneOf(
      params.TargetType ?? 'All',
      ['All', 'User', 'Node'],
      'TargetType',
      'InvalidParameterValue',
    ),
    PolicyType: listPolicyType(params.PolicyType),
  })),
  handle(params, { state, caller }) {
    const org = managedOrganization(state, caller);
    const policy = org.policies.find((p) => p.policyId === params.PolicyId && p.type === params.PolicyType);
    if (!policy) throw orgErrors.policyNotExist(params.PolicyId);
    const keywords = (params.Keyword ?? '').split(' ').filter(Boolean);
    const targetType = params.TargetType;
    const items = org.bindings
      .filter((b) => b.policyId === policy.policyId)
      .filter((b) => targetType === 'All' || (targetType === 'Node') === (b.targetType === 'NODE'))
      .map((b) => ({
        Uin: b.targetId,
        RelatedType: RELATED_TYPE[b.targetType],
        Name: targetName(org, b.targetType, b.targetId),
        AddTime: b.addTime,
      }))
      .filter(
        (t) => keywords.length === 0 || keywords.some((k) => String(t.Uin).includes(k) || t.Name.includes(k)),
      );
    return pageOf(items, params.Rp, params.Page);
  },
});
