import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { AttachPolicyRequest } from '@alicloud/resourcemanager20200331';
import { AttachAgencyPolicyReqBody } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachAgencyPolicyReqBody';
import { AttachAgencyPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachAgencyPolicyV5Request';
import { auditEventFor } from '../local/platform-events';
import { alibabaClient, huaweiClient, tencentClient } from '../local/sdk-clients';
import type { CallRecord } from '../sandbox/calls';
import { MAX_BUNDLE_BYTES } from '../scripts/build';
import { admin, builtBundles, bundlePath, type ChildRun, median, runNode, STS_ROLE } from './bundles';
import { startServer } from './child';
import { atMost, GOALS } from './goals';
import type { BenchRow } from './table';

const CLOUDS = ['alibaba', 'tencent', 'huawei'] as const;
type Cloud = (typeof CLOUDS)[number];
/** Measured rounds per cloud, after one warm-up round (file cache); each round runs every side once. */
const ROUNDS = 9;
const SIZE_GOAL_KIB = MAX_BUNDLE_BYTES / 1024;

/** Rules selecting exactly the three violations below (the demo's rules, trimmed to them). */
const RULES = {
  version: 1,
  rules: [
    {
      id: 'no-admin-in-resource-groups',
      provider: 'alibaba',
      operation: 'detach-policy',
      when: { policyName: 'AdministratorAccess' },
    },
    {
      id: 'scp-allowlist',
      provider: 'tencent',
      operation: 'detach-policy',
      // Service control policies only: the audit-log function reconciles the whole target, and department
      // 1001 of the demo world also holds tag policy 200001, which would make a second detach.
      when: { type: 'SERVICE_CONTROL_POLICY' },
      unless: { policyId: [1, 100001] },
    },
    {
      id: 'no-full-access-agencies',
      provider: 'huawei',
      operation: 'detach-agency-policy',
      when: { policyId: '*full-access' },
    },
  ],
};

interface Violation {
  /** The sandbox action of the attach call, and of the detach that undoes it. */
  attachAction: string;
  detachAction: string;
  attach(url: string): Promise<unknown>;
  /** What the raw script passes to its SDK call. */
  params: Record<string, unknown>;
}

const ALIBABA = {
  resourceGroupId: 'rg-aek2prod7xk3q',
  policyType: 'System',
  policyName: 'AdministratorAccess',
  principalType: 'IMSUser',
  principalName: 'intruder@corp.onaliyun.com',
};
const TENCENT = { PolicyId: 100002, TargetId: 1001, TargetType: 'NODE', Type: 'SERVICE_CONTROL_POLICY' };
const HUAWEI = { policyId: 'a5c0e3f1-full-access', agencyId: '8d41a2b7-auditor' };

/** A person's attach call in the demo world that a rule selects (as in the e2e tests). */
const VIOLATIONS: Readonly<Record<Cloud, Violation>> = {
  alibaba: {
    attachAction: 'AttachPolicy',
    detachAction: 'DetachPolicy',
    attach: (url) => alibabaClient(url).attachPolicy(new AttachPolicyRequest(ALIBABA)),
    params: ALIBABA,
  },
  tencent: {
    attachAction: 'AttachPolicy',
    detachAction: 'DetachPolicy',
    attach: (url) => tencentClient(url).AttachPolicy(TENCENT),
    params: TENCENT,
  },
  huawei: {
    attachAction: 'AttachAgencyPolicyV5',
    detachAction: 'DetachAgencyPolicyV5',
    attach: (url) =>
      huaweiClient(url).attachAgencyPolicyV5(
        new AttachAgencyPolicyV5Request()
          .withPolicyId(HUAWEI.policyId)
          .withBody(new AttachAgencyPolicyReqBody().withAgencyId(HUAWEI.agencyId)),
      ),
    params: HUAWEI,
  },
};

const ENDPOINT_VARIABLE: Readonly<Record<Cloud, string>> = {
  alibaba: 'REMEDIATE_ALIBABA_ENDPOINT',
  tencent: 'REMEDIATE_TENCENT_ENDPOINT',
  huawei: 'REMEDIATE_HUAWEI_ENDPOINT',
};

const SIDES = ['bundle', 'raw', 'node'] as const;
type Side = (typeof SIDES)[number];

/**
 * Cold invoke: a new process until one detach is done and the process has exited, for each cloud's
 * audit-log bundle (built as `npm run build` builds it, loaded with plain `node`, called once as its
 * platform calls it with the audit record of a person's attach call, REMEDIATE_STATE=memory) vs a raw
 * vendor-SDK script (bench/cold/raw-<cloud>.cjs, the SDK from node_modules) making the same detach call
 * with the same credentials, and an empty `node -e 0` for reference. The sandbox runs in its own process;
 * its world is put back before every run so every detach has the attachment to remove. The sides take
 * turns within each round, in a rotating order; each reports its median, the ratio is the median of the
 * rounds' bundle / raw ratios (adjacent runs share the machine's load of that moment).
 */
export async function coldInvoke(): Promise<BenchRow[]> {
  const { dir, sizes } = await builtBundles();
  const work = mkdtempSync(join(tmpdir(), 'remediate-bench-cold-'));
  const rulesPath = join(work, 'rules.json');
  writeFileSync(rulesPath, JSON.stringify(RULES));
  const sandbox = await startServer(join(__dirname, 'servers/sandbox.ts'));
  try {
    const rows: BenchRow[] = [];
    for (const cloud of CLOUDS) rows.push(...(await measureCloud(cloud, sandbox.url, dir, rulesPath)));
    for (const { path, bytes } of sizes) {
      const kib = bytes / 1024;
      rows.push({
        name: `bundle size ${relative(dir, path)}`,
        value: kib,
        unit: 'KiB',
        goal: `<= ${SIZE_GOAL_KIB} KiB`,
        met: bytes <= MAX_BUNDLE_BYTES,
      });
    }
    return rows;
  } finally {
    await sandbox.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function measureCloud(cloud: Cloud, url: string, dir: string, rulesPath: string): Promise<BenchRow[]> {
  const violation = VIOLATIONS[cloud];
  // The attach call, its audit record (built from the sandbox's own record of it), and the world with the
  // attachment in place, to be put back before every run.
  await admin(url, 'POST', 'reset');
  await violation.attach(url);
  const { calls } = (await admin(url, 'GET', `calls?cloud=${cloud}&action=${violation.attachAction}`)) as {
    calls: CallRecord[];
  };
  const attachCall = calls.at(-1);
  const event = attachCall && auditEventFor(attachCall);
  if (!event) throw new Error(`cold invoke: no audit record for the ${cloud} attach call`);
  const world = await admin(url, 'GET', 'state');

  const role = JSON.stringify(STS_ROLE);
  const runs: Record<Side, () => Promise<ChildRun>> = {
    bundle: () =>
      runNode(join(__dirname, 'cold', 'invoke-bundle.cjs'), [bundlePath(dir, cloud, 'audit-log'), cloud], {
        BENCH_ROLE: role,
        BENCH_EVENT: JSON.stringify(event),
        REMEDIATE_STATE: 'memory',
        REMEDIATE_RULES: rulesPath,
        [ENDPOINT_VARIABLE[cloud]]: url,
        LOG_LEVEL: 'info',
      }),
    raw: () =>
      runNode(join(__dirname, 'cold', `raw-${cloud}.cjs`), [], {
        BENCH_ROLE: role,
        BENCH_PARAMS: JSON.stringify(violation.params),
        BENCH_ENDPOINT: url,
      }),
    node: () => runNode('-e', ['0'], {}),
  };

  const loads: Record<'bundle' | 'raw', number[]> = { bundle: [], raw: [] };
  const run = async (side: Side, measured: boolean): Promise<number> => {
    await admin(url, 'PUT', 'state', world);
    await admin(url, 'DELETE', 'calls');
    const result = await runs[side]();
    if (result.code !== 0)
      throw new Error(`cold invoke ${cloud} ${side}: exit ${result.code}\n${result.stdout}${result.stderr}`);
    if (side !== 'node') {
      const { calls: mutating } = (await admin(url, 'GET', 'calls?mutating=true')) as { calls: CallRecord[] };
      const detach = mutating[0];
      if (mutating.length !== 1 || !detach?.applied || detach.action !== violation.detachAction)
        throw new Error(`cold invoke ${cloud} ${side}: expected one applied ${violation.detachAction}, saw
${JSON.stringify(mutating.map((c) => [c.action, c.applied, c.code]))}`);
      const { loadMs } = JSON.parse(result.stdout) as { loadMs: number };
      if (measured) loads[side].push(loadMs);
    }
    return result.ms;
  };

  for (const side of SIDES) await run(side, false); // warm-up: file cache, the sandbox's JIT
  const times: Record<Side, number[]> = { bundle: [], raw: [], node: [] };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const seen: Partial<Record<Side, number>> = {};
    for (let k = 0; k < SIDES.length; k++) {
      const side = SIDES[(round + k) % SIDES.length] as Side;
      seen[side] = await run(side, true);
      times[side].push(seen[side]);
    }
    ratios.push((seen.bundle ?? 0) / (seen.raw ?? 1));
  }
  const ratio = median(ratios);
  return [
    {
      name: `${cloud} audit-log bundle: new process to one detach done, ms`,
      value: median(times.bundle),
      unit: 'ms',
    },
    { name: `${cloud} raw SDK script, same detach, ms`, value: median(times.raw), unit: 'ms' },
    { name: `${cloud} of which loading: bundle (require), ms`, value: median(loads.bundle), unit: 'ms' },
    { name: `${cloud} of which loading: raw script's SDK modules, ms`, value: median(loads.raw), unit: 'ms' },
    atMost(`${cloud} cold invoke bundle / raw SDK script (median of the rounds)`, ratio, GOALS.coldInvokeMax),
    {
      name: `${cloud} for reference: empty node process (node -e 0), ms`,
      value: median(times.node),
      unit: 'ms',
    },
  ];
}
