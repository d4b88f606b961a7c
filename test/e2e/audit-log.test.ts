import { randomUUID } from 'node:crypto';
import { AttachPolicyRequest, DetachPolicyRequest } from '@alicloud/resourcemanager20200331';
import { describe, expect, test } from 'vitest';
import {
  apiCallWithoutParameters,
  auditEventFor,
  ctsWithoutRequest,
  eventList,
  ramAttachPolicyToUser,
  tagAttachPolicy,
} from '../../local/platform-events';
import { alibabaClient, tencentClient } from '../../local/sdk-clients';
import type { Sandbox } from '../../sandbox/server';
import { openStateStore } from '../../shared/state/open';
import { fixture } from '../unit/events/helpers';
import { ATTACH_CALLS, type AttachCall } from './attach-calls';
import { CLOUDS, type Cloud, lastCall, mutatingCalls, type Settlement, STS, useE2E } from './harness';
import { BREAK_GLASS, seedBreakGlass, world } from './scenarios';

type Json = Record<string, unknown>;

const e2e = useE2E();

/**
 * A person's attach call, made with the vendor SDK against the sandbox, and the audit record the cloud's
 * audit trail delivers for it (ActionTrail via EventBridge, CloudAudit via EventBridge, CTS), built by the
 * local runtime's feed from the sandbox's own record of the call. The call log is cleared afterwards.
 */
async function attachAndAudit(sandbox: Sandbox, cloud: Cloud, call: AttachCall): Promise<Json> {
  await call.attach(sandbox.url).catch(() => undefined);
  const event = auditEventFor(lastCall(sandbox, cloud, call.action), 'documented');
  if (!event) throw new Error(`no audit record for ${call.title}`);
  sandbox.calls.clear();
  return event as Json;
}

describe.each(CLOUDS)('audit-log on %s (built bundle)', (cloud) => {
  const scenario = ATTACH_CALLS[cloud];

  test.each(scenario.violations.map((v) => [v.title, v] as const))(
    '%s: read from the cloud, detached once; the same record delivered again makes no second call',
    async (_title, violation) => {
      const { sandbox } = e2e;
      const event = await attachAndAudit(sandbox, cloud, violation);
      expect(violation.present(sandbox)).toBe(true);

      const fn = e2e.warm(cloud, 'audit-log');
      const first = (await fn.invoke(event)) as Settlement;
      expect(first.outcomes).toHaveLength(1);
      expect(first.outcomes[0]).toMatchObject({ status: 'detached', attempts: 1 });
      expect(first.outcomes[0]?.duplicate).toBeUndefined();
      expect(first.counts).toEqual({ detached: 1 });
      expect(violation.present(sandbox)).toBe(false);
      const calls = mutatingCalls(sandbox);
      expect(calls).toHaveLength(1);
      expect(scenario.detachActions).toContain(calls[0]?.action);
      // Signed with the function role's temporary credentials, token included.
      expect(calls[0]).toMatchObject({ applied: true, accessKeyId: STS.accessKeyId });

      // At-least-once delivery: the same record again, to the warm instance and to a cold one sharing the
      // store. The cloud now lists no such attachment, so nothing is called.
      const again = (await fn.invoke(event)) as Settlement;
      const elsewhere = (await e2e.instance(cloud, 'audit-log', fn.state).invoke(event)) as Settlement;
      for (const redelivery of [again, elsewhere]) {
        expect(redelivery.outcomes).toHaveLength(1);
        expect(redelivery.outcomes[0]).toMatchObject({ status: 'already-compliant', attempts: 0 });
      }
      expect(mutatingCalls(sandbox)).toHaveLength(1);
    },
  );

  test('read, detach and failed calls are ignored without any call', async () => {
    const { sandbox } = e2e;
    const [violation] = scenario.violations;
    if (!violation) throw new Error('no violation scenario');
    const attached = await attachAndAudit(sandbox, cloud, violation);
    const failed = await attachAndAudit(sandbox, cloud, scenario.failed);
    expect(failed).toBeDefined();
    const fn = e2e.warm(cloud, 'audit-log');

    // Each is the record of a call a rule would select were it a successful attach: only the kind differs.
    for (const event of [scenario.asRead(attached), scenario.asDetach(attached), failed]) {
      const settlement = (await fn.invoke(event)) as Settlement;
      expect(settlement).toEqual({ outcomes: [], counts: {} });
    }
    expect(sandbox.calls.totals().total).toBe(0);
    expect(violation.present(sandbox)).toBe(true);
  });

  test('an attach call no rule selects is skipped without any mutating call', async () => {
    const { sandbox } = e2e;
    const event = await attachAndAudit(sandbox, cloud, scenario.allowed);
    const settlement = (await e2e.warm(cloud, 'audit-log').invoke(event)) as Settlement;
    expect(settlement.outcomes).toHaveLength(1);
    expect(settlement.outcomes[0]).toMatchObject({ status: 'skipped', hint: 'no rule selects this request' });
    expect(mutatingCalls(sandbox)).toHaveLength(0);
    expect(scenario.allowed.present(sandbox)).toBe(true);
  });

  test('a function deployed without a role fails plainly, before any call', async () => {
    const { sandbox } = e2e;
    const [violation] = scenario.violations;
    if (!violation) throw new Error('no violation scenario');
    const event = await attachAndAudit(sandbox, cloud, violation);
    await expect(e2e.warm(cloud, 'audit-log').invoke(event, { noRole: true })).rejects.toMatchObject({
      name: 'MissingCredentialsError',
      message: expect.stringMatching(
        /gave no credentials: give the function an? (role|execution role|agency)/,
      ),
    });
    expect(sandbox.calls.totals().total).toBe(0);
    expect(violation.present(sandbox)).toBe(true);
  });
});

/** Dead letters in an instance's state store. */
async function deadLetterCount(state: string): Promise<number> {
  const store = openStateStore(state);
  try {
    return await store.countDeadLetters();
  } finally {
    await store.close();
  }
}

const ALI_ACCOUNT = '1234567890123456';
const HW_ACCOUNT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/**
 * The only real CTS trigger delivery found (test/fixtures/events/real/huawei/cts-trigger-otc-createFunction.json:
 * no resource_url, endpoint or request_id; empty request and response; resource_id holding a name), with the
 * fields IAM's "operations recorded by CTS" table gives attachAgencyPolicyV5: service IAM, resource type agency.
 * The caller's domain is the sandbox account's, as the trace of a call in that account would carry.
 */
function realShapedCtsAttach(agencyRef: string): unknown {
  const real = fixture('real/huawei/cts-trigger-otc-createFunction.json') as {
    cts: Json & { user: { domain: Json } };
  };
  const now = Date.now();
  const cts = {
    ...real.cts,
    domain_id: HW_ACCOUNT,
    message: `attach policy to agency[${agencyRef}]`,
    operation_id: 'AttachAgencyPolicyV5',
    record_time: now,
    time: now,
    resource_id: agencyRef,
    resource_name: agencyRef,
    resource_type: 'agency',
    service_type: 'IAM',
    trace_id: randomUUID(),
    trace_name: 'attachAgencyPolicyV5',
    user: { ...real.cts.user, domain: { ...real.cts.user.domain, id: HW_ACCOUNT } },
  };
  expect(cts).toMatchObject({ request: {}, response: {} });
  expect(cts).not.toHaveProperty('resource_url');
  return { cts };
}

describe('audit events in the shapes the clouds deliver (issue 12), the cloud read as the truth', () => {
  const detachesOf = (sandbox: Sandbox) => mutatingCalls(sandbox).filter((c) => c.applied);

  test("Huawei: a CTS trace without request contents or resource_url detaches exactly the agency's non-compliant policies", async () => {
    const { sandbox } = e2e;
    const attach = ATTACH_CALLS.huawei.violations[0] as AttachCall;
    const event = ctsWithoutRequest(await attachAndAudit(sandbox, 'huawei', attach), '5b3e0c1f-ci-deployer');
    const fn = e2e.instance('huawei', 'audit-log');
    const settlement = (await fn.invoke(event)) as Settlement;
    expect(settlement.outcomes.map((o) => o.status)).toEqual(['detached']);
    expect(world.huaweiPolicy(sandbox, 'a5c0e3f1-full-access', '5b3e0c1f-ci-deployer')).toBe(false);
    expect(world.huaweiPolicy(sandbox, 'c9e2a5b3-obs-admin', '5b3e0c1f-ci-deployer')).toBe(true);
    expect(detachesOf(sandbox)).toHaveLength(1);

    // On an agency whose only non-compliant attachment is exempt: skipped, no call.
    const exempt = (await fn.invoke(ctsWithoutRequest(event, '2c9f7e60-migration'))) as Settlement;
    expect(exempt.outcomes).toEqual([
      expect.objectContaining({ status: 'skipped', hint: expect.stringMatching(/^exempt/) }),
    ]);
    expect(detachesOf(sandbox)).toHaveLength(1);
    expect(world.huaweiPolicy(sandbox, 'a5c0e3f1-full-access', '2c9f7e60-migration')).toBe(true);
  });

  // The real trace holds a name in resource_id; naming the agency by its name is read through ListAgenciesV5,
  // which the sandbox does not serve yet, so this trace names the agency by its id.
  test('Huawei: a real-shaped CTS trace without request contents or resource_url detaches the non-compliant policy, leaves the compliant and the exempt one', async () => {
    const { sandbox } = e2e;
    await seedBreakGlass(sandbox);
    const agency = BREAK_GLASS.huawei.agencyId;
    const held = {
      nonCompliant: 'a5c0e3f1-full-access', // FullAccess: rule no-full-access-agencies
      compliant: 'c9e2a5b3-obs-admin', // no rule selects it
      exempt: BREAK_GLASS.huawei.policyId, // selected, exempt for this agency and this policy only
    };
    for (const policy of Object.values(held)) expect(world.huaweiPolicy(sandbox, policy, agency)).toBe(true);
    sandbox.calls.clear();

    const event = realShapedCtsAttach(agency);
    const settlement = (await e2e.instance('huawei', 'audit-log').invoke(event)) as Settlement;
    const byPolicy = (id: string) => settlement.outcomes.filter((o) => o.target.includes(id));
    expect(settlement.outcomes).toHaveLength(2);
    expect(byPolicy(held.nonCompliant)).toEqual([expect.objectContaining({ status: 'detached' })]);
    expect(byPolicy(held.exempt)).toEqual([
      expect.objectContaining({ status: 'skipped', hint: expect.stringMatching(/^exempt/) }),
    ]);
    expect(byPolicy(held.compliant)).toEqual([]);

    const calls = mutatingCalls(sandbox);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ action: 'DetachAgencyPolicyV5', applied: true });
    expect(calls[0]?.params).toMatchObject({ policy_id: held.nonCompliant, agency_id: agency });
    expect(world.huaweiPolicy(sandbox, held.nonCompliant, agency)).toBe(false);
    expect(world.huaweiPolicy(sandbox, held.compliant, agency)).toBe(true);
    expect(world.huaweiPolicy(sandbox, held.exempt, agency)).toBe(true);
  });

  test('Tencent: an ApiCall with requestParameters "" on a node with a non-compliant, a compliant and an exempt SCP detaches only the first', async () => {
    const { sandbox } = e2e;
    await seedBreakGlass(sandbox);
    const node = BREAK_GLASS.tencent.targetId; // department Production
    const held = { nonCompliant: 100002, compliant: 100001, exempt: BREAK_GLASS.tencent.policyId };
    const attach = ATTACH_CALLS.tencent.violations[0] as AttachCall; // 100002 on department 1001
    const event = apiCallWithoutParameters(await attachAndAudit(sandbox, 'tencent', attach));
    for (const policy of Object.values(held)) expect(world.tencentScp(sandbox, policy, node)).toBe(true);

    const settlement = (await e2e.instance('tencent', 'audit-log').invoke(event)) as Settlement;
    const byPolicy = (id: number) => settlement.outcomes.filter((o) => o.target.includes(String(id)));
    expect(settlement.outcomes).toHaveLength(2);
    expect(byPolicy(held.nonCompliant)).toEqual([expect.objectContaining({ status: 'detached' })]);
    expect(byPolicy(held.exempt)).toEqual([
      expect.objectContaining({ status: 'skipped', hint: expect.stringMatching(/^exempt/) }),
    ]);
    expect(byPolicy(held.compliant)).toEqual([]);

    const calls = mutatingCalls(sandbox);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ action: 'DetachPolicy', applied: true });
    expect(world.tencentScp(sandbox, held.nonCompliant, node)).toBe(false);
    expect(world.tencentScp(sandbox, held.compliant, node)).toBe(true);
    expect(world.tencentScp(sandbox, held.exempt, node)).toBe(true);
  });

  test('Tencent: an ApiCall with requestParameters "" detaches exactly the non-compliant policy of its target', async () => {
    const { sandbox } = e2e;
    const attach = ATTACH_CALLS.tencent.violations[0] as AttachCall; // 100002 on department 1001
    const event = apiCallWithoutParameters(await attachAndAudit(sandbox, 'tencent', attach));
    const settlement = (await e2e.instance('tencent', 'audit-log').invoke(event)) as Settlement;
    expect(settlement.outcomes.map((o) => `${o.status} ${o.target}`)).toEqual([
      expect.stringMatching(/^detached .*100002/),
    ]);
    expect(world.tencentScp(sandbox, 100002, 1001)).toBe(false);
    for (const allowed of [1, 100001]) expect(world.tencentScp(sandbox, allowed, 1001)).toBe(true);
    expect(detachesOf(sandbox)).toHaveLength(1);
  });

  test('Tencent: an EventList of 3 records acts on all 3', async () => {
    const { sandbox } = e2e;
    const client = tencentClient(sandbox.url);
    const events: unknown[] = [];
    for (const [targetId, targetType] of [
      [1001, 'NODE'],
      [1000, 'NODE'],
      [100000000002, 'MEMBER'],
    ] as const) {
      await client.AttachPolicy({
        PolicyId: 100002,
        TargetId: targetId,
        TargetType: targetType,
        Type: 'SERVICE_CONTROL_POLICY',
      });
      const record = auditEventFor(lastCall(sandbox, 'tencent', 'AttachPolicy'), 'documented');
      events.push(record);
    }
    sandbox.calls.clear();
    const settlement = (await e2e.instance('tencent', 'audit-log').invoke(eventList(events))) as Settlement;
    expect(settlement.outcomes.map((o) => o.status)).toEqual(['detached', 'detached', 'detached']);
    for (const target of [1001, 1000, 100000000002])
      expect(world.tencentScp(sandbox, 100002, target)).toBe(false);
  });

  test('Alibaba: RAM AttachPolicyToUser of a rule-selected policy removes that account-wide grant', async () => {
    const { sandbox } = e2e;
    await alibabaClient(sandbox.url).attachPolicy(
      new AttachPolicyRequest({
        resourceGroupId: ALI_ACCOUNT,
        policyType: 'System',
        policyName: 'AdministratorAccess',
        principalType: 'IMSUser',
        principalName: 'intruder@corp.onaliyun.com',
      }),
    );
    sandbox.calls.clear();
    const event = ramAttachPolicyToUser(ALI_ACCOUNT, 'intruder', 'AdministratorAccess');
    const settlement = (await e2e.instance('alibaba', 'audit-log').invoke(event)) as Settlement;
    expect(settlement.outcomes.map((o) => o.status)).toEqual(['detached']);
    expect(world.aliPolicy(sandbox, ALI_ACCOUNT, 'AdministratorAccess', 'intruder@corp.onaliyun.com')).toBe(
      false,
    );
    expect(detachesOf(sandbox)).toHaveLength(1);
  });

  test("Alibaba: the Tag service's AttachPolicy makes no call and no dead letter", async () => {
    const { sandbox } = e2e;
    const fn = e2e.instance('alibaba', 'audit-log');
    const settlement = (await fn.invoke(tagAttachPolicy(ALI_ACCOUNT))) as Settlement;
    expect(settlement).toEqual({ outcomes: [], counts: {} });
    expect(sandbox.calls.totals().total).toBe(0);
    expect(await deadLetterCount(fn.state)).toBe(0);
  });

  test('an attach event replayed after detach and re-attach of an exempt grant makes no call', async () => {
    const { sandbox } = e2e;
    const attach = ATTACH_CALLS.alibaba.violations[0] as AttachCall;
    const event = (await attachAndAudit(sandbox, 'alibaba', attach)) as { data: { requestParameters: Json } };
    // The same grant to the break-glass user, who is exempt: detached by a person, then granted again.
    event.data.requestParameters.PrincipalName = 'breakglass@corp.onaliyun.com';
    const grant = {
      resourceGroupId: 'rg-aek2prod7xk3q',
      policyType: 'System',
      policyName: 'AdministratorAccess',
      principalType: 'IMSUser',
      principalName: 'breakglass@corp.onaliyun.com',
    };
    await alibabaClient(sandbox.url).detachPolicy(new DetachPolicyRequest(grant));
    await alibabaClient(sandbox.url).attachPolicy(new AttachPolicyRequest(grant));
    sandbox.calls.clear();
    const settlement = (await e2e.instance('alibaba', 'audit-log').invoke(event)) as Settlement;
    expect(settlement.outcomes).toEqual([
      expect.objectContaining({ status: 'skipped', hint: expect.stringMatching(/^exempt/) }),
    ]);
    expect(mutatingCalls(sandbox)).toHaveLength(0);
    expect(
      world.aliPolicy(sandbox, 'rg-aek2prod7xk3q', 'AdministratorAccess', 'breakglass@corp.onaliyun.com'),
    ).toBe(true);
  });

  test.each(CLOUDS)(
    '%s: a poisoned batch of audit records: the good ones act, the unreadable ones are dead-lettered once',
    async (cloud) => {
      const { sandbox } = e2e;
      const [violation] = ATTACH_CALLS[cloud].violations;
      if (!violation) throw new Error('no violation');
      const good = await attachAndAudit(sandbox, cloud, violation);
      const deepText = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
      // FC hands the event over as a Buffer of JSON, which the harness writes with JSON.stringify: there the
      // deep JSON travels as the text of the parameters (as ActionTrail's requestParameterJson does).
      const deep = cloud === 'alibaba' ? deepText : JSON.parse(deepText);
      const base64 = 'QUFB'.repeat(2 * 1024 * 1024);
      const edit = (value: unknown, id: string): unknown => {
        const e = structuredClone(good) as Json & { data?: Json; cts?: Json };
        if (e.cts) {
          e.cts.trace_id = id;
          e.cts.request = value;
          e.cts.resource_url = undefined;
          e.cts.resource_id = value;
        } else if (e.data) {
          e.data.eventId = id;
          e.data.eventID = id;
          e.data.requestParameters = value;
        }
        return e;
      };
      // deep, 8 MiB of base64 text, and one whose target id is missing: none names a readable target.
      const batch = [good, edit(deep, 'deep-1'), good, edit(base64, 'b64-1'), edit({}, 'noid-1'), good];
      const event = cloud === 'tencent' ? eventList(batch) : batch;
      const fn = e2e.instance(cloud, 'audit-log');
      const first = (await fn.invoke(event)) as Settlement;
      expect(first.outcomes.map((o) => (o.reason ? `${o.status}:${o.reason}` : o.status))).toEqual([
        'detached',
        'dead-lettered:invalid-input',
        'already-compliant',
        'dead-lettered:invalid-input',
        'dead-lettered:invalid-input',
        'already-compliant',
      ]);
      expect(await deadLetterCount(fn.state)).toBe(3);
      const again = (await fn.invoke(event)) as Settlement;
      expect(again.outcomes.filter((o) => o.status === 'dead-lettered').every((o) => o.duplicate)).toBe(true);
      expect(await deadLetterCount(fn.state)).toBe(3);
      expect(mutatingCalls(sandbox)).toHaveLength(1);
    },
  );
});
