import { AttachControlPolicyRequest, AttachPolicyRequest } from '@alicloud/resourcemanager20200331';
import { AttachAgencyPolicyReqBody } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachAgencyPolicyReqBody';
import { AttachAgencyPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachAgencyPolicyV5Request';
import { signBody } from '../shared/http/signature';
import type { Outcome } from '../shared/outcomes';
import { tagAttachPolicy } from './platform-events';
import type { LocalRuntime } from './runtime';
import { alibabaClient, huaweiClient, tencentClient } from './sdk-clients';

export interface DemoCase {
  title: string;
  trigger: 'audit-log' | 'queue-cleanup' | 'http-invoke';
  cloud: string;
  /** What the person expects: an outcome status (and reason), or an HTTP status. */
  expect: string;
  /** Filled in by the run: what happened. */
  got?: string;
  detail?: string;
}

const matches = (target: string) => (o: Outcome) => o.target.includes(target);

/**
 * Plays the demo: non-compliant attaches on each cloud (the audit feed remediates them), a bulk cleanup
 * through the queues, signed and unsigned HTTP invokes, and a last-policy case. Answers each case with
 * what was expected and what happened.
 */
export async function playDemo(runtime: LocalRuntime): Promise<DemoCase[]> {
  const url = runtime.sandbox.url;
  const cases: DemoCase[] = [];
  const ali = alibabaClient(url);
  const attach = (rg: string, policyName: string, principalName: string) =>
    ali.attachPolicy(
      new AttachPolicyRequest({
        resourceGroupId: rg,
        policyType: 'System',
        policyName,
        principalType: 'IMSUser',
        principalName,
      }),
    );

  // 1. Someone attaches policies by hand: ActionTrail, CloudAudit and CTS tell the audit-log functions.
  await attach('rg-aek2prod7xk3q', 'AdministratorAccess', 'intruder@corp.onaliyun.com');
  await attach('rg-aek2dev9mz4wa', 'AdministratorAccess', 'breakglass@corp.onaliyun.com');
  await attach('rg-aek2dev9mz4wa', 'ReadOnlyAccess', 'alice@corp.onaliyun.com');
  await ali.attachControlPolicy(
    new AttachControlPolicyRequest({ policyId: 'cp-AllowAllLab00001', targetId: '2234567890123456' }),
  );
  await tencentClient(url).AttachPolicy({
    PolicyId: 100002,
    TargetId: 1001,
    TargetType: 'NODE',
    Type: 'SERVICE_CONTROL_POLICY',
  });
  await huaweiClient(url).attachAgencyPolicyV5(
    new AttachAgencyPolicyV5Request()
      .withPolicyId('a5c0e3f1-full-access')
      .withBody(new AttachAgencyPolicyReqBody().withAgencyId('8d41a2b7-auditor')),
  );
  await runtime.idle();
  const audit = (cloud: string, target: string) =>
    runtime.observations
      .filter((o) => o.trigger === 'audit-log' && o.cloud === cloud)
      .flatMap((o) => o.outcomes)
      .find(matches(target));
  cases.push(
    observe(
      'AdministratorAccess attached to intruder@ in rg prod',
      'audit-log',
      'alibaba',
      'detached',
      audit('alibaba', 'intruder@'),
    ),
    observe(
      'AdministratorAccess attached to breakglass@ (exempt)',
      'audit-log',
      'alibaba',
      'skipped',
      audit('alibaba', 'breakglass@'),
    ),
    observe(
      'ReadOnlyAccess attached to alice@ (no rule)',
      'audit-log',
      'alibaba',
      'skipped',
      audit('alibaba', 'alice@'),
    ),
    observe(
      'control policy AllowEverythingLab attached to member prod-shop',
      'audit-log',
      'alibaba',
      'detached',
      audit('alibaba', '2234567890123456 cp-AllowAllLab00001'),
    ),
    observe(
      'SCP AllowAllExperimental attached to department Production',
      'audit-log',
      'tencent',
      'detached',
      audit('tencent', 'NODE:1001 SERVICE_CONTROL_POLICY:100002'),
    ),
    observe(
      'FullAccess attached to agency external-auditor',
      'audit-log',
      'huawei',
      'detached',
      audit('huawei', 'agency:8d41a2b7-auditor'),
    ),
  );

  // The Tag service audits an AttachPolicy of its own (tag policies): not ours, so no call and no dead letter.
  const tag = (await runtime.functions.auditLog('alibaba', tagAttachPolicy('1234567890123456'))) as {
    outcomes: Outcome[];
  };
  cases.push({
    title: "the Tag service's AttachPolicy (not a permission grant)",
    trigger: 'audit-log',
    cloud: 'alibaba',
    expect: 'ignored',
    got: tag.outcomes.length === 0 ? 'ignored' : tag.outcomes.map((o) => o.status).join(', '),
  });

  // 2. Bulk cleanup of what was already there, through each cloud's queue (one message redelivered).
  const send = (cloud: 'alibaba' | 'tencent' | 'huawei', body: unknown, id?: string) =>
    runtime.queues[cloud].send(JSON.stringify(body), id);
  const malloryOrder = {
    provider: 'alibaba',
    operation: 'detach-policy',
    resourceGroupId: 'rg-aek2prod7xk3q',
    policyType: 'System',
    policyName: 'AdministratorAccess',
    principalType: 'IMSUser',
    principalName: 'mallory@corp.onaliyun.com',
  };
  const malloryMessage = send('alibaba', malloryOrder);
  send('alibaba', {
    provider: 'alibaba',
    operation: 'delete-policy',
    policyName: 'legacy-admin',
    cascade: true,
  });
  send('alibaba', { provider: 'alibaba', operation: 'detach-policy', policyName: 'AdministratorAccess' });
  send('tencent', {
    provider: 'tencent',
    operation: 'detach-policy',
    policyId: 100002,
    targetId: 100000000003,
    targetType: 'MEMBER',
  });
  send('huawei', {
    provider: 'huawei',
    operation: 'detach-agency-policy',
    policyId: 'a5c0e3f1-full-access',
    agencyId: '5b3e0c1f-ci-deployer',
  });
  await runtime.idle();
  // The broker delivers a message it already delivered (at-least-once): idempotency makes it a no-op.
  send('alibaba', malloryOrder, malloryMessage);
  await runtime.idle();
  const queued = (cloud: string, pick: (o: Outcome) => boolean) =>
    runtime.observations
      .filter((o) => o.trigger === 'queue-cleanup' && o.cloud === cloud)
      .flatMap((o) => o.outcomes)
      .filter(pick);
  const mallory = queued('alibaba', matches('mallory@'));
  cases.push(
    observe(
      'detach AdministratorAccess from mallory@',
      'queue-cleanup',
      'alibaba',
      'detached',
      mallory.find((o) => !o.duplicate),
    ),
    observe(
      'the same message delivered again',
      'queue-cleanup',
      'alibaba',
      'detached (duplicate, no call)',
      mallory.find((o) => o.duplicate),
      (o) => `${o.status}${o.duplicate ? ' (duplicate, no call)' : ''}`,
    ),
    observe(
      'delete policy legacy-admin with cascade',
      'queue-cleanup',
      'alibaba',
      'deleted',
      queued('alibaba', matches('legacy-admin'))[0],
    ),
    observe(
      'a malformed message',
      'queue-cleanup',
      'alibaba',
      'dead-lettered (invalid-input)',
      queued('alibaba', (o) => o.reason === 'invalid-input')[0],
    ),
    observe(
      'detach the last SCP of member lab-experiments',
      'queue-cleanup',
      'tencent',
      'dead-lettered (last-policy)',
      queued('tencent', matches('MEMBER:100000000003'))[0],
    ),
    observe(
      'detach FullAccess from agency ci-deployer',
      'queue-cleanup',
      'huawei',
      'detached',
      queued('huawei', matches('5b3e0c1f-ci-deployer'))[0],
    ),
  );

  // 3. A signed HTTP invoke (the last control policy of folder Lab, replaced by the fallback), and an unsigned one.
  const body = JSON.stringify({
    requests: [
      {
        provider: 'alibaba',
        operation: 'detach-control-policy',
        policyId: 'cp-AllowAllLab00001',
        targetId: 'fd-Lab00001',
      },
    ],
  });
  const signed = await fetch(`${runtime.httpUrl}/invoke`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-remediate-signature': signBody(runtime.httpSecret, body, Math.floor(Date.now() / 1000)),
    },
    body,
  });
  const answer = (await signed.json()) as { outcomes?: Outcome[] };
  cases.push(
    observe(
      'signed invoke: last control policy of folder Lab',
      'http-invoke',
      'alibaba',
      'detached (replaced with cp-FullAliyunAccess)',
      answer.outcomes?.[0],
      (o) => `${o.status}${o.replacedWith ? ` (replaced with ${o.replacedWith})` : ''}`,
    ),
  );
  const unsigned = await fetch(`${runtime.httpUrl}/invoke`, { method: 'POST', body });
  cases.push({
    title: 'unsigned invoke',
    trigger: 'http-invoke',
    cloud: 'alibaba',
    expect: 'HTTP 401',
    got: `HTTP ${unsigned.status}`,
    detail: await unsigned.text(),
  });
  return cases;
}

function observe(
  title: string,
  trigger: DemoCase['trigger'],
  cloud: string,
  expect: string,
  outcome: Outcome | undefined,
  describe: (o: Outcome) => string = (o) => `${o.status}${o.reason ? ` (${o.reason})` : ''}`,
): DemoCase {
  return {
    title,
    trigger,
    cloud,
    expect,
    got: outcome ? describe(outcome) : 'no outcome',
    detail: outcome?.hint ?? outcome?.error?.code,
  };
}
