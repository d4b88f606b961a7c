import { emptyWorld, type WorldInput } from '../../../../sandbox/world';

/**
 * Organization 1 (owner = the default `sandbox` key, 100000000001) holds the cases of the Organization
 * DetachPolicy API page; organization 2 has only SCP enabled and a member key; a third account belongs to no
 * organization.
 */
export const UIN = {
  owner: 100000000001,
  prod: 100000000002,
  lab: 100000000003,
  ownerB: 200000000001,
  memberB: 200000000002,
  loner: 300000000001,
} as const;

export const NODE = { root: 1000, production: 1001, lab: 1002, paging: 1003, empty: 1004 } as const;

export const POLICY = {
  fullAccess: 1,
  denyCam: 100001,
  allowAll: 100002,
  costCenterTags: 200001,
  orgBOnly: 900001,
  /** First of the 45 SCPs bound to the paging department. */
  pagedFirst: 500000,
} as const;

export const PAGED_POLICIES = 45;
export const STS = { accessKeyId: 'STS.tencent', secret: 'sts-secret', token: 'sts-token' } as const;

export function tencentWorld(): WorldInput {
  const base = emptyWorld();
  const paged = Array.from({ length: PAGED_POLICIES }, (_, i) => POLICY.pagedFirst + i);
  return {
    ...base,
    keys: [
      { cloud: 'tencent', ...STS },
      { cloud: 'tencent', accessKeyId: 'readonly', secret: 'readonly-secret', deny: ['DetachPolicy'] },
      { cloud: 'tencent', accessKeyId: 'owner-b', secret: 'owner-b-secret', account: String(UIN.ownerB) },
      { cloud: 'tencent', accessKeyId: 'member-b', secret: 'member-b-secret', account: String(UIN.memberB) },
      { cloud: 'tencent', accessKeyId: 'loner', secret: 'loner-secret', account: String(UIN.loner) },
    ],
    tencent: {
      defaultAccount: String(UIN.owner),
      organizations: [
        {
          orgId: 1,
          ownerUin: String(UIN.owner),
          rootNodeId: NODE.root,
          nodes: [
            { nodeId: NODE.root, name: 'root', parentNodeId: null },
            { nodeId: NODE.production, name: 'Production', parentNodeId: NODE.root },
            { nodeId: NODE.lab, name: 'Lab', parentNodeId: NODE.root },
            { nodeId: NODE.paging, name: 'Paging', parentNodeId: NODE.root },
            { nodeId: NODE.empty, name: 'Empty', parentNodeId: NODE.root },
          ],
          members: [
            { uin: String(UIN.owner), name: 'management', nodeId: NODE.root },
            { uin: String(UIN.prod), name: 'prod-shop', nodeId: NODE.production },
            { uin: String(UIN.lab), name: 'lab-experiments', nodeId: NODE.lab },
          ],
          policies: [
            {
              policyId: POLICY.fullAccess,
              name: 'FullQcloudAccess',
              type: 'SERVICE_CONTROL_POLICY',
              category: 1,
            },
            { policyId: POLICY.denyCam, name: 'DenyCamChanges', type: 'SERVICE_CONTROL_POLICY' },
            { policyId: POLICY.allowAll, name: 'AllowAllExperimental', type: 'SERVICE_CONTROL_POLICY' },
            { policyId: POLICY.costCenterTags, name: 'CostCenterTags', type: 'TAG_POLICY' },
            ...paged.map((policyId) => ({
              policyId,
              name: `Paged-${policyId}`,
              type: 'SERVICE_CONTROL_POLICY' as const,
            })),
          ],
          enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'],
          bindings: [
            { policyId: POLICY.fullAccess, targetId: NODE.root, targetType: 'NODE' },
            { policyId: POLICY.fullAccess, targetId: NODE.production, targetType: 'NODE' },
            { policyId: POLICY.denyCam, targetId: NODE.production, targetType: 'NODE' },
            { policyId: POLICY.allowAll, targetId: NODE.lab, targetType: 'NODE' },
            { policyId: POLICY.fullAccess, targetId: UIN.prod, targetType: 'MEMBER' },
            { policyId: POLICY.allowAll, targetId: UIN.prod, targetType: 'MEMBER' },
            { policyId: POLICY.allowAll, targetId: UIN.lab, targetType: 'MEMBER' },
            { policyId: POLICY.costCenterTags, targetId: NODE.production, targetType: 'NODE' },
            ...paged.map((policyId) => ({ policyId, targetId: NODE.paging, targetType: 'NODE' as const })),
          ],
        },
        {
          orgId: 2,
          ownerUin: String(UIN.ownerB),
          rootNodeId: 2000,
          nodes: [{ nodeId: 2000, name: 'root', parentNodeId: null }],
          members: [
            { uin: String(UIN.ownerB), name: 'management-b', nodeId: 2000 },
            { uin: String(UIN.memberB), name: 'member-b', nodeId: 2000 },
          ],
          policies: [
            { policyId: POLICY.orgBOnly, name: 'OrgBBaseline', type: 'SERVICE_CONTROL_POLICY' },
            { policyId: 900002, name: 'OrgBAllow', type: 'SERVICE_CONTROL_POLICY' },
            { policyId: 900003, name: 'OrgBTags', type: 'TAG_POLICY' },
          ],
          enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'],
          bindings: [
            { policyId: POLICY.orgBOnly, targetId: 2000, targetType: 'NODE' },
            { policyId: 900002, targetId: 2000, targetType: 'NODE' },
            { policyId: 900003, targetId: 2000, targetType: 'NODE' },
          ],
        },
      ],
    },
  };
}
