import { type FaultConfig, NO_FAULTS, parseFaultSpec } from '../../../sandbox/faults';
import type { Sandbox } from '../../../sandbox/server';
import { emptyWorld, type WorldInput } from '../../../sandbox/world';
import type { ExecuteOptions } from '../../../shared/engine/execute';
import { parseRequest, type TencentDetachPolicy } from '../../../shared/requests';
import { sandboxOptions } from '../../helpers/engine';

/**
 * Organization 1 is managed by the default `sandbox` key; organization 2 has only SCPs enabled, a member
 * key and a policy id the first organization cannot use; a third account belongs to no organization.
 */
export const UIN = {
  owner: 100000000001,
  prod: 100000000002,
  lab: 100000000003,
  ownerB: 200000000001,
  memberB: 200000000002,
  loner: 300000000001,
} as const;

export const NODE = { root: 1000, production: 1001, lab: 1002, bulk: 1003, paging: 1004 } as const;

export const POLICY = {
  fullAccess: 1,
  denyCam: 100001,
  allowAll: 100002,
  /** Not bound anywhere: the `replace-with` fallback. */
  fallback: 100003,
  costCenterTags: 200001,
  orgBOnly: 900001,
  /** First of the SCPs bound to the bulk department (enough to pass the 20/s DetachPolicy limit). */
  bulkFirst: 300000,
  /** First of the SCPs bound to the paging department (more than one 200-item page). */
  pagedFirst: 500000,
} as const;

export const BULK_POLICIES = 25;
export const PAGED_POLICIES = 205;

export const KEYS = {
  sts: { accessKeyId: 'STS.tencent', accessKeySecret: 'sts-secret', securityToken: 'sts-token' },
  deny: { accessKeyId: 'readonly', accessKeySecret: 'readonly-secret' },
  noList: { accessKeyId: 'no-list', accessKeySecret: 'no-list-secret' },
  ownerB: { accessKeyId: 'owner-b', accessKeySecret: 'owner-b-secret' },
  memberB: { accessKeyId: 'member-b', accessKeySecret: 'member-b-secret' },
  loner: { accessKeyId: 'loner', accessKeySecret: 'loner-secret' },
} as const;

const range = (first: number, count: number) => Array.from({ length: count }, (_, i) => first + i);

export function tencentWorld(): WorldInput {
  const bulk = range(POLICY.bulkFirst, BULK_POLICIES);
  const paged = range(POLICY.pagedFirst, PAGED_POLICIES);
  const scp = (policyId: number, name: string) => ({
    policyId,
    name,
    type: 'SERVICE_CONTROL_POLICY' as const,
  });
  return {
    ...emptyWorld(),
    keys: [
      {
        cloud: 'tencent',
        accessKeyId: KEYS.sts.accessKeyId,
        secret: KEYS.sts.accessKeySecret,
        token: KEYS.sts.securityToken,
      },
      {
        cloud: 'tencent',
        accessKeyId: KEYS.deny.accessKeyId,
        secret: KEYS.deny.accessKeySecret,
        deny: ['DetachPolicy'],
      },
      {
        cloud: 'tencent',
        accessKeyId: KEYS.noList.accessKeyId,
        secret: KEYS.noList.accessKeySecret,
        deny: ['ListPoliciesForTarget'],
      },
      {
        cloud: 'tencent',
        accessKeyId: KEYS.ownerB.accessKeyId,
        secret: KEYS.ownerB.accessKeySecret,
        account: String(UIN.ownerB),
      },
      {
        cloud: 'tencent',
        accessKeyId: KEYS.memberB.accessKeyId,
        secret: KEYS.memberB.accessKeySecret,
        account: String(UIN.memberB),
      },
      {
        cloud: 'tencent',
        accessKeyId: KEYS.loner.accessKeyId,
        secret: KEYS.loner.accessKeySecret,
        account: String(UIN.loner),
      },
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
            { nodeId: NODE.bulk, name: 'Bulk', parentNodeId: NODE.root },
            { nodeId: NODE.paging, name: 'Paging', parentNodeId: NODE.root },
          ],
          members: [
            { uin: String(UIN.owner), name: 'management', nodeId: NODE.root },
            { uin: String(UIN.prod), name: 'prod-shop', nodeId: NODE.production },
            { uin: String(UIN.lab), name: 'lab-experiments', nodeId: NODE.lab },
          ],
          policies: [
            { ...scp(POLICY.fullAccess, 'FullQcloudAccess'), category: 1 },
            scp(POLICY.denyCam, 'DenyCamChanges'),
            scp(POLICY.allowAll, 'AllowAllExperimental'),
            scp(POLICY.fallback, 'BaselineFallback'),
            { policyId: POLICY.costCenterTags, name: 'CostCenterTags', type: 'TAG_POLICY' },
            ...bulk.map((id) => scp(id, `Bulk-${id}`)),
            ...paged.map((id) => scp(id, `Paged-${id}`)),
          ],
          enabledPolicyTypes: ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'],
          bindings: [
            { policyId: POLICY.fullAccess, targetId: NODE.root, targetType: 'NODE' },
            { policyId: POLICY.fullAccess, targetId: NODE.production, targetType: 'NODE' },
            { policyId: POLICY.denyCam, targetId: NODE.production, targetType: 'NODE' },
            { policyId: POLICY.costCenterTags, targetId: NODE.production, targetType: 'NODE' },
            { policyId: POLICY.allowAll, targetId: NODE.lab, targetType: 'NODE' },
            { policyId: POLICY.fullAccess, targetId: UIN.prod, targetType: 'MEMBER' },
            { policyId: POLICY.allowAll, targetId: UIN.prod, targetType: 'MEMBER' },
            { policyId: POLICY.allowAll, targetId: UIN.lab, targetType: 'MEMBER' },
            { policyId: POLICY.fullAccess, targetId: NODE.bulk, targetType: 'NODE' },
            ...bulk.map((id) => ({ policyId: id, targetId: NODE.bulk, targetType: 'NODE' as const })),
            ...paged.map((id) => ({ policyId: id, targetId: NODE.paging, targetType: 'NODE' as const })),
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
            scp(POLICY.orgBOnly, 'OrgBBaseline'),
            scp(900002, 'OrgBAllow'),
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

/** A validated tencent/detach-policy request (SCP on a department unless told otherwise). */
export function tencentRequest(
  fields: Partial<Omit<TencentDetachPolicy, 'provider' | 'operation'>>,
): TencentDetachPolicy {
  const parsed = parseRequest({
    provider: 'tencent',
    operation: 'detach-policy',
    targetType: 'NODE',
    ...fields,
  });
  if (!parsed.ok) throw new Error(`bad test request: ${parsed.field} ${parsed.rule}`);
  return parsed.request as TencentDetachPolicy;
}

/** The policies bound to a target in the sandbox's own state (not through the API). */
export function boundTo(sandbox: Sandbox, targetId: number, orgIndex = 0): number[] {
  const org = sandbox.world.tencent.organizations[orgIndex];
  return (org?.bindings ?? []).filter((b) => b.targetId === targetId).map((b) => b.policyId);
}

/** Executor options for the sandbox, signed with another key of the fixture. */
export function optionsWith(
  url: string,
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string },
  overrides: Partial<ExecuteOptions> = {},
): ExecuteOptions {
  return sandboxOptions(url, overrides, credentials);
}

/**
 * Injects `spec` on exact calls rather than random ones: armed once `after` calls (of `action`, or of
 * any action) have gone by, cleared again once `times` calls were hit. A failure that clears mid-retry.
 * Listeners are per sandbox: call `sandbox.removeAllListeners('call')` between tests.
 */
export function faultCalls(
  sandbox: Sandbox,
  spec: string,
  { times = 1, after = 0, action }: { times?: number; after?: number; action?: string } = {},
): void {
  const config: FaultConfig = parseFaultSpec(spec);
  let seen = 0;
  let hits = 0;
  const onCall = (call: { action: string; fault?: string }) => {
    if (call.fault !== undefined) {
      hits += 1;
      if (hits >= times) {
        sandbox.faults.set(NO_FAULTS);
        sandbox.off('call', onCall);
      }
      return;
    }
    if (action !== undefined && call.action !== action) return;
    seen += 1;
    if (seen === after) sandbox.faults.set(config);
  };
  sandbox.on('call', onCall);
  if (after === 0) sandbox.faults.set(config);
}
