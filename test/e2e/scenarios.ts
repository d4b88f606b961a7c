import type { Sandbox } from '../../sandbox/server';
import type { OutcomeStatus } from '../../shared/outcomes';
import type { Cloud } from './harness';

/**
 * The orders a queue message or an HTTP body carries in the e2e tests, on each cloud, in the demo world
 * (sandbox/seeds/demo.json) under the rules of harness.ts, and how to read their effect off the
 * sandbox's world.
 */

export type Json = Record<string, unknown>;

/** An order and the outcome it must end with. */
export interface Order {
  body: Json;
  expect: OutcomeStatus;
  reason?: string;
}

export interface CloudOrders {
  /** One order of each kind this cloud settles; the first two touch different targets. */
  orders: Order[];
  /** An order breaking a field rule, and the field the dead letter names. */
  invalid: { body: Json; field: string };
  /** Whether an order's target still holds the policy. */
  present(sandbox: Sandbox, order: Order): boolean;
}

// ---- the demo world, read ---------------------------------------------------------------------------

const ALI_ACCOUNT = '1234567890123456';
const HW_ACCOUNT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

function aliAccount(sandbox: Sandbox) {
  const account = sandbox.world.alibaba.accounts[ALI_ACCOUNT];
  if (!account) throw new Error('the demo world has no Alibaba account');
  return account;
}

export const world = {
  aliPolicy: (sandbox: Sandbox, rg: string, policyName: string, principalName: string) =>
    aliAccount(sandbox).attachments.some(
      (a) => a.resourceGroupId === rg && a.policyName === policyName && a.principalName === principalName,
    ),
  aliControlPolicy: (sandbox: Sandbox, policyId: string, targetId: string) =>
    (aliAccount(sandbox).resourceDirectory?.controlPolicyAttachments ?? []).some(
      (a) => a.policyId === policyId && a.targetId === targetId,
    ),
  tencentScp: (sandbox: Sandbox, policyId: number, targetId: number) =>
    (sandbox.world.tencent.organizations[0]?.bindings ?? []).some(
      (b) => b.policyId === policyId && b.targetId === targetId,
    ),
  huaweiPolicy: (sandbox: Sandbox, policyId: string, agencyId: string) =>
    (sandbox.world.huawei.accounts[HW_ACCOUNT]?.attachments ?? []).some(
      (a) => a.policyId === policyId && a.agencyId === agencyId,
    ),
};

// ---- orders -----------------------------------------------------------------------------------------

const aliDetach = (principalName: string) => ({
  provider: 'alibaba',
  operation: 'detach-policy',
  resourceGroupId: 'rg-aek2prod7xk3q',
  policyType: 'System',
  policyName: 'AdministratorAccess',
  principalType: 'IMSUser',
  principalName,
});

const alibaba: CloudOrders = {
  orders: [
    { body: aliDetach('mallory@corp.onaliyun.com'), expect: 'detached' },
    {
      body: {
        provider: 'alibaba',
        operation: 'detach-control-policy',
        policyId: 'cp-AllowAllLab00001',
        targetId: '3234567890123456',
      },
      expect: 'detached',
    },
    { body: aliDetach('nobody@corp.onaliyun.com'), expect: 'already-compliant' },
    // Explicit orders need no rule, but exemptions still apply.
    { body: aliDetach('breakglass@corp.onaliyun.com'), expect: 'skipped' },
  ],
  invalid: {
    body: { ...aliDetach('mallory@corp.onaliyun.com'), resourceGroupId: 'prod' },
    field: 'resourceGroupId',
  },
  present: (sandbox, { body }) =>
    body.operation === 'detach-control-policy'
      ? world.aliControlPolicy(sandbox, String(body.policyId), String(body.targetId))
      : world.aliPolicy(
          sandbox,
          String(body.resourceGroupId),
          String(body.policyName),
          String(body.principalName),
        ),
};

const tencentDetach = (policyId: number, targetId: number, targetType: 'NODE' | 'MEMBER' = 'NODE') => ({
  provider: 'tencent',
  operation: 'detach-policy',
  policyId,
  targetId,
  targetType,
  type: 'SERVICE_CONTROL_POLICY',
});

const tencent: CloudOrders = {
  orders: [
    { body: tencentDetach(100001, 1001), expect: 'detached' },
    // The member lab-experiments' only SCP: the organization refuses to leave a target without one.
    {
      body: tencentDetach(100002, 100000000003, 'MEMBER'),
      expect: 'dead-lettered',
      reason: 'last-policy',
    },
    { body: tencentDetach(100002, 1001), expect: 'already-compliant' },
  ],
  invalid: { body: { ...tencentDetach(100001, 1001), targetType: 'FOLDER' }, field: 'targetType' },
  present: (sandbox, { body }) => world.tencentScp(sandbox, Number(body.policyId), Number(body.targetId)),
};

const huaweiDetach = (policyId: string, agencyId: string) => ({
  provider: 'huawei',
  operation: 'detach-agency-policy',
  policyId,
  agencyId,
});

const huawei: CloudOrders = {
  orders: [
    { body: huaweiDetach('a5c0e3f1-full-access', '5b3e0c1f-ci-deployer'), expect: 'detached' },
    { body: huaweiDetach('c9e2a5b3-obs-admin', '5b3e0c1f-ci-deployer'), expect: 'detached' },
    { body: huaweiDetach('b7d1f4a2-readonly-access', '5b3e0c1f-ci-deployer'), expect: 'already-compliant' },
  ],
  invalid: { body: huaweiDetach('a5c0e3f1-full-access', 'ci deployer!'), field: 'agencyId' },
  present: (sandbox, { body }) => world.huaweiPolicy(sandbox, String(body.policyId), String(body.agencyId)),
};

export const ORDERS: Readonly<Record<Cloud, CloudOrders>> = { alibaba, tencent, huawei };

// ---- extra grants a test seeds into the demo world ----------------------------------------------------

/**
 * A policy a rule selects but an exemption of harness.ts allows, on one target only: on Huawei a custom
 * `*full-access` policy for agency ci-deployer, on Tencent an SCP outside the allow-list for department
 * Production. The demo world has neither, so only tests that seed them see them.
 */
export const BREAK_GLASS = {
  huawei: { policyId: 'e3a7d9c1-breakglass-full-access', agencyId: '5b3e0c1f-ci-deployer' },
  tencent: { policyId: 100003, targetId: 1001 },
} as const;

/**
 * Seeds the break-glass grants of BREAK_GLASS through the sandbox's admin API (GET, then PUT /_sandbox/state),
 * as an operator would; the next `reset()` removes them.
 */
export async function seedBreakGlass(sandbox: Sandbox): Promise<void> {
  const state = `${sandbox.url}/_sandbox/state`;
  const current = (await (await fetch(state)).json()) as {
    huawei: { accounts: Record<string, { policies: Json[]; attachments: Json[] }> };
    tencent: { organizations: { policies: Json[]; bindings: Json[] }[] };
  };
  const account = current.huawei.accounts[HW_ACCOUNT];
  const organization = current.tencent.organizations[0];
  if (!account || !organization)
    throw new Error('the demo world has no Huawei account or Tencent organization');
  account.policies.push({
    policyId: BREAK_GLASS.huawei.policyId,
    name: 'BreakGlassFullAccess',
    type: 'custom',
    urn: `iam::${HW_ACCOUNT}:policy/BreakGlassFullAccess`,
  });
  account.attachments.push({ ...BREAK_GLASS.huawei });
  organization.policies.push({
    policyId: BREAK_GLASS.tencent.policyId,
    name: 'BreakGlassAllowAll',
    type: 'SERVICE_CONTROL_POLICY',
    description: 'Re-allows everything; exempt for department Production',
  });
  organization.bindings.push({ ...BREAK_GLASS.tencent, targetType: 'NODE' });
  const answer = await fetch(state, { method: 'PUT', body: JSON.stringify(current) });
  if (!answer.ok) throw new Error(`the sandbox refused the seeded state: ${await answer.text()}`);
}
