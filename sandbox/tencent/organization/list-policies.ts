import { tencentApi, tencentParams } from '../api';
import { PAGE_FIELDS, pageOf } from '../paging';
import { oneOf } from '../params';
import { listPolicyType } from './list-kinds';
import { managedOrganization } from './organization';

/** ListPolicies' `Type`: 1 custom, 2 preset (the state's `category` uses 1 system, 2 custom). */
const API_POLICY_KIND = { 1: 2, 2: 1 } as const;

export const listPolicies = tencentApi({
  action: 'ListPolicies',
  permission: 'organization:ListPolicies',
  mutating: false,
  params: tencentParams({
    ...PAGE_FIELDS,
    Scope: { type: 'string' },
    Keyword: { type: 'string' },
    PolicyType: { type: 'string' },
  } as const).transform((params) => ({
    ...params,
    Scope: oneOf(params.Scope ?? 'All', ['All', 'QCS', 'Local'], 'Scope', 'InvalidParameterValue'),
    PolicyType: listPolicyType(params.PolicyType),
  })),
  handle(params, { state, caller }) {
    const org = managedOrganization(state, caller);
    const items = org.policies
      .filter((p) => p.type === params.PolicyType)
      .filter((p) => params.Scope === 'All' || (params.Scope === 'QCS') === (p.category === 1))
      .filter((p) => !params.Keyword || p.name.includes(params.Keyword))
      .map((p) => ({
        PolicyId: p.policyId,
        PolicyName: p.name,
        Description: p.description,
        AddTime: p.addTime,
        UpdateTime: p.addTime,
        AttachedTimes: org.bindings.filter((b) => b.policyId === p.policyId).length,
        Type: API_POLICY_KIND[p.category],
      }));
    return pageOf(items, params.Rp, params.Page);
  },
});
