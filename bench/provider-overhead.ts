import { join } from 'node:path';
import { DetachPolicyRequest, ListPolicyAttachmentsRequest } from '@alicloud/resourcemanager20200331';
import { ListAttachedAgencyPoliciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAttachedAgencyPoliciesV5Request';
import { alibabaClient, huaweiClient, tencentClient } from '../local/sdk-clients';
import { startServer } from './child';
import {
  ALL_OPERATIONS,
  type AlibabaDetachPolicy,
  type HuaweiDetachAgencyPolicy,
  type Presence,
  type ProviderContext,
  parseRequest,
  type RemediationRequest,
  SANDBOX_CREDENTIALS,
  type TencentDetachPolicy,
} from './product';
import type { BenchRow } from './table';

/**
 * Sequential calls per side. Calls alternate between the sides one by one (bare, provider, provider, bare,
 * …), so drift in the machine or the sandbox hits both equally; each side reports its median call.
 */
const CALLS = 2_500;
const WARM_UP = 300;
const GOAL = 1.05;

/** A call answers what it saw, so the loop can prove it measured the intended path (not a throttle). */
type Call = () => Promise<string>;

interface Pair {
  name: string;
  bare: Call;
  provider: Call;
  /** What both sides must answer on every call. */
  expect: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function request<R extends RemediationRequest>(input: unknown): R {
  const parsed = parseRequest(input);
  if (!parsed.ok) throw new Error(`bench request: ${parsed.field} ${parsed.rule}`);
  return parsed.request as R;
}

const codeOf = (error: unknown): string => String((error as { code?: unknown })?.code ?? error);

/**
 * Per-call latency of the provider layer (client cache lookup, request mapping, error classification)
 * vs the same vendor SDK call made directly, against one sandbox (demo seed) in its own process.
 * Each pair is a call that can be repeated without changing state: the truth read (`stillPresent` vs
 * the list call it makes) and a detach of an attachment that does not exist (`execute` on the
 * already-gone path vs the SDK call with its error caught).
 */
export async function providerOverhead(): Promise<BenchRow[]> {
  const sandbox = await startServer(join(__dirname, 'servers/sandbox.ts'));
  try {
    // Tencent DetachPolicy's documented 20 requests/s (docs/sources.md) would throttle a latency loop; lift it
    // for this run.
    const limits = await fetch(`${sandbox.url}/_sandbox/limits`, {
      method: 'PUT',
      body: JSON.stringify({ 'tencent:DetachPolicy': 1e9 }),
    });
    if (!limits.ok) throw new Error(`sandbox limits: HTTP ${limits.status}`);

    const rows: BenchRow[] = [];
    for (const pair of pairs(sandbox.url)) rows.push(...(await measure(pair)));
    return rows;
  } finally {
    await sandbox.stop();
  }
}

function pairs(url: string): Pair[] {
  const context: ProviderContext = { credentials: SANDBOX_CREDENTIALS, endpoint: url, timeoutMs: 5_000 };
  const ali = alibabaClient(url);
  const tc = tencentClient(url);
  const hw = huaweiClient(url);

  // Demo seed: mallory has AdministratorAccess in prod, not ReadOnlyAccess.
  const aliRequest = request<AlibabaDetachPolicy>({
    provider: 'alibaba',
    operation: 'detach-policy',
    resourceGroupId: 'rg-aek2prod7xk3q',
    policyType: 'System',
    policyName: 'ReadOnlyAccess',
    principalType: 'IMSUser',
    principalName: 'mallory@corp.onaliyun.com',
  });
  const aliParams = {
    resourceGroupId: aliRequest.resourceGroupId,
    policyType: aliRequest.policyType,
    policyName: aliRequest.policyName,
    principalType: aliRequest.principalType,
    principalName: aliRequest.principalName,
  };
  const aliOperation = ALL_OPERATIONS['alibaba/detach-policy'];

  // Demo seed: department 1001 (Production) has SCPs 1 and 100001, not 100002.
  const tcRequest = request<TencentDetachPolicy>({
    provider: 'tencent',
    operation: 'detach-policy',
    policyId: 100002,
    targetId: 1001,
    targetType: 'NODE',
  });
  const tcOperation = ALL_OPERATIONS['tencent/detach-policy'];

  // Demo seed: agency ci-deployer has FullAccess and OBSAdministrator, not ReadOnlyAccess.
  const hwRequest = request<HuaweiDetachAgencyPolicy>({
    provider: 'huawei',
    operation: 'detach-agency-policy',
    policyId: 'b7d1f4a2-readonly-access',
    agencyId: '5b3e0c1f-ci-deployer',
  });
  const hwOperation = ALL_OPERATIONS['huawei/detach-agency-policy'];

  const read = async (result: Promise<Presence>) => {
    const r = await result;
    return r.state === 'unknown' ? 'read-failed' : r.state;
  };
  const executed = async (result: ReturnType<typeof aliOperation.execute>) => {
    const r = await result;
    return r.ok ? 'ok' : r.error.code;
  };

  return [
    {
      name: 'alibaba/detach-policy read (stillPresent vs ListPolicyAttachments)',
      expect: 'absent',
      provider: () => read(aliOperation.stillPresent(aliRequest, context)),
      bare: async () => {
        const response = await ali.listPolicyAttachments(
          new ListPolicyAttachmentsRequest({ ...aliParams, pageSize: 1 }),
        );
        return (response.body?.totalCount ?? 0) > 0 ? 'present' : 'absent';
      },
    },
    {
      name: 'alibaba/detach-policy already gone (execute vs DetachPolicy)',
      expect: 'EntityNotExist.User.Policy',
      provider: () => executed(aliOperation.execute(aliRequest, context)),
      bare: async () => {
        try {
          await ali.detachPolicy(new DetachPolicyRequest(aliParams));
          return 'ok';
        } catch (error) {
          return codeOf(error);
        }
      },
    },
    {
      name: 'tencent/detach-policy read (stillPresent vs ListPoliciesForTarget)',
      expect: 'absent',
      provider: () => read(tcOperation.stillPresent(tcRequest, context)),
      bare: async () => {
        const response = await tc.ListPoliciesForTarget({
          TargetId: tcRequest.targetId,
          PolicyType: tcRequest.type,
          Rp: 200,
          Page: 1,
        });
        return response.List?.some((p) => p.StrategyId === tcRequest.policyId) ? 'present' : 'absent';
      },
    },
    {
      name: 'tencent/detach-policy not bound (execute vs DetachPolicy)',
      expect: 'FailedOperation.OrganizationDetachPolicyError',
      provider: () => executed(tcOperation.execute(tcRequest, context)),
      bare: async () => {
        try {
          await tc.DetachPolicy({
            PolicyId: tcRequest.policyId,
            TargetId: tcRequest.targetId,
            TargetType: tcRequest.targetType,
            Type: tcRequest.type,
          });
          return 'ok';
        } catch (error) {
          return codeOf(error);
        }
      },
    },
    // Read only: the bare Huawei SDK's default logger prints every failed call to stdout, which would
    // time the console rather than the SDK on the already-gone path.
    {
      name: 'huawei/detach-agency-policy read (stillPresent vs ListAttachedAgencyPoliciesV5)',
      expect: 'absent',
      provider: () => read(hwOperation.stillPresent(hwRequest, context)),
      bare: async () => {
        const body = (await hw.listAttachedAgencyPoliciesV5(
          new ListAttachedAgencyPoliciesV5Request().withAgencyId(hwRequest.agencyId).withLimit(200),
        )) as unknown as { attached_policies?: { policy_id?: string }[] };
        return body.attached_policies?.some((p) => p.policy_id === hwRequest.policyId) ? 'present' : 'absent';
      },
    },
  ];
}

/** One call's latency in ms, checked against the expected answer. */
async function timeCall(call: Call, expected: string, label: string): Promise<number> {
  const begin = performance.now();
  const seen = await call();
  const ms = performance.now() - begin;
  if (seen !== expected) throw new Error(`${label}: expected ${expected}, got ${seen}`);
  return ms;
}

async function measure(pair: Pair): Promise<BenchRow[]> {
  for (let i = 0; i < WARM_UP; i++) {
    await timeCall(pair.bare, pair.expect, `${pair.name} (bare)`);
    await timeCall(pair.provider, pair.expect, `${pair.name} (provider)`);
  }
  const times = { bare: [] as number[], provider: [] as number[] };
  for (let i = 0; i < CALLS; i++) {
    // ABBA order: each side goes first half the time.
    const sides = i % 2 === 0 ? (['bare', 'provider'] as const) : (['provider', 'bare'] as const);
    for (const side of sides)
      times[side].push(await timeCall(pair[side], pair.expect, `${pair.name} (${side})`));
  }
  const bare = median(times.bare);
  const provider = median(times.provider);
  const ratio = provider / bare;
  return [
    { name: `${pair.name}: bare SDK, µs/call`, value: bare * 1000, unit: 'µs/call' },
    { name: `${pair.name}: provider, µs/call`, value: provider * 1000, unit: 'µs/call' },
    {
      name: `${pair.name}: provider / bare`,
      value: ratio,
      unit: 'ratio',
      goal: `<= ${GOAL}`,
      met: ratio <= GOAL,
    },
  ];
}
