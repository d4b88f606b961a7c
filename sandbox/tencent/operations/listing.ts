import type { Operation } from '../../types';
import { managedOrganization, orgErrors, targetName } from '../organization/organization';
import { PAGE_FIELDS, pageOf } from '../paging';
import { oneOf, readParams } from '../params';
import { TENCENT_POLICY_TYPES } from '../state';

/** Binding kinds as the list calls number them: 1 department (node), 2 member (user). */
const RELATED_TYPE = { NODE: 1, MEMBER: 2 } as const;
/** ListPolicies' `Type`: 1 custom, 2 preset (the state's `category` uses 1 system, 2 custom). */
const API_POLICY_KIND = { 1: 2, 2: 1 } as const;

const policyTypeParam = (value: string | undefined) =>
  oneOf(value ?? 'SERVICE_CONTROL_POLICY', TENCENT_POLICY_TYPES, 'PolicyType', 'InvalidParameterValue');

export const listPoliciesForTarget: Operation = {
  mutating: false,
  handle(request, { world, caller }) {
    const params = readParams(request, {
      TargetId: { type: 'integer', required: true },
      ...PAGE_FIELDS,
      PolicyType: { type: 'string' },
      Keyword: { type: 'string' },
    } as const);
    const policyType = policyTypeParam(params.PolicyType);
    const org = managedOrganization(world, caller);
    // The call names no target type: it lists whatever is bound under that ID. An ID that is no
    // department or member simply has no bindings.
    const items = org.bindings.flatMap((binding) => {
      const policy = org.policies.find((p) => p.policyId === binding.policyId);
      if (binding.targetId !== params.TargetId || !policy || policy.type !== policyType) return [];
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
};

export const listTargetsForPolicy: Operation = {
  mutating: false,
  handle(request, { world, caller }) {
    const params = readParams(request, {
      PolicyId: { type: 'integer', required: true },
      ...PAGE_FIELDS,
      TargetType: { type: 'string' },
      PolicyType: { type: 'string' },
      Keyword: { type: 'string' },
    } as const);
    const targetType = oneOf(
      params.TargetType ?? 'All',
      ['All', 'User', 'Node'],
      'TargetType',
      'InvalidParameterValue',
    );
    const policyType = policyTypeParam(params.PolicyType);
    const org = managedOrganization(world, caller);
    const policy = org.policies.find((p) => p.policyId === params.PolicyId && p.type === policyType);
    if (!policy) throw orgErrors.policyNotExist(params.PolicyId);
    const keywords = (params.Keyword ?? '').split(' ').filter(Boolean);
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
};

export const listPolicies: Operation = {
  mutating: false,
  handle(request, { world, caller }) {
    const params = readParams(request, {
      ...PAGE_FIELDS,
      Scope: { type: 'string' },
      Keyword: { type: 'string' },
      PolicyType: { type: 'string' },
    } as const);
    const scope = oneOf(params.Scope ?? 'All', ['All', 'QCS', 'Local'], 'Scope', 'InvalidParameterValue');
    const policyType = policyTypeParam(params.PolicyType);
    const org = managedOrganization(world, caller);
    const items = org.policies
      .filter((p) => p.type === policyType)
      .filter((p) => scope === 'All' || (scope === 'QCS') === (p.category === 1))
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
};
