import { join } from 'node:path';
import type { CallCounts, CallRecord } from '../sandbox/calls';
import { emptyWorld } from '../sandbox/world';
import { admin, median } from './bundles';
import { startServer } from './child';
import { reported } from './goals';
import { ATTACHMENT_LISTERS, type ListingResult, type Provider, SANDBOX_CREDENTIALS } from './product';
import type { BenchRow } from './table';

/** Targets (principals, members, agencies) of the seeded organisation, on each cloud. */
const TARGETS = 1_000;
/** Policies the targets are spread over (each target holds one): a scan lists the targets of each. */
const POLICIES = 10;
/** Measured rounds after one warm-up; each lists every cloud one by one, then all three at once. */
const ROUNDS = 15;
const CLOUDS = ['alibaba', 'tencent', 'huawei'] as const satisfies readonly Provider[];

const ALIBABA_ACCOUNT = '1000000000000001';
const TENCENT_OWNER = '100000000001';
const HUAWEI_ACCOUNT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/**
 * On each cloud, 1,000 targets each holding one of 10 policies: Alibaba RAM users in one resource group
 * (no resource directory, so no control policies), a Tencent organization of 1,000 members bound to 10
 * service control policies (tag policies not enabled), Huawei 1,000 agencies with 10 identity policies.
 */
function world() {
  const base = emptyWorld();
  const spread = (i: number) => i % POLICIES;
  return {
    ...base,
    alibaba: {
      defaultAccount: ALIBABA_ACCOUNT,
      accounts: {
        [ALIBABA_ACCOUNT]: {
          resourceGroups: [{ id: 'rg-scan', name: 'scan' }],
          policies: Array.from({ length: POLICIES }, (_, p) => ({
            name: `ScanPolicy${p}`,
            type: 'Custom',
            versions: [{ versionId: 'v1', isDefault: true }],
          })),
          attachments: Array.from({ length: TARGETS }, (_, i) => ({
            resourceGroupId: 'rg-scan',
            policyType: 'Custom',
            policyName: `ScanPolicy${spread(i)}`,
            principalType: 'IMSUser',
            principalName: `scan${String(i).padStart(4, '0')}@corp.onaliyun.com`,
          })),
        },
      },
    },
    tencent: {
      defaultAccount: TENCENT_OWNER,
      organizations: [
        {
          orgId: 1,
          ownerUin: TENCENT_OWNER,
          rootNodeId: 1000,
          nodes: [{ nodeId: 1000, name: 'root', parentNodeId: null }],
          members: [
            { uin: TENCENT_OWNER, name: 'management', nodeId: 1000 },
            ...Array.from({ length: TARGETS }, (_, i) => ({
              uin: String(200_000_000_000 + i),
              name: `member-${i}`,
              nodeId: 1000,
            })),
          ],
          policies: Array.from({ length: POLICIES }, (_, p) => ({
            policyId: 100_000 + p,
            name: `ScanPolicy${p}`,
            type: 'SERVICE_CONTROL_POLICY',
          })),
          enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'],
          bindings: Array.from({ length: TARGETS }, (_, i) => ({
            policyId: 100_000 + spread(i),
            targetId: 200_000_000_000 + i,
            targetType: 'MEMBER',
          })),
        },
      ],
    },
    huawei: {
      defaultAccount: HUAWEI_ACCOUNT,
      accounts: {
        [HUAWEI_ACCOUNT]: {
          agencies: Array.from({ length: TARGETS }, (_, i) => ({
            agencyId: `agency-${String(i).padStart(4, '0')}`,
            name: `scan-${i}`,
          })),
          policies: Array.from({ length: POLICIES }, (_, p) => ({
            policyId: `policy-${p}`,
            name: `ScanPolicy${p}`,
            type: 'custom',
            urn: `iam::${HUAWEI_ACCOUNT}:policy/ScanPolicy${p}`,
          })),
          attachments: Array.from({ length: TARGETS }, (_, i) => ({
            policyId: `policy-${spread(i)}`,
            agencyId: `agency-${String(i).padStart(4, '0')}`,
          })),
        },
      },
    },
  };
}

/**
 * Scan speed against the sandbox (its own process, world seeded through its admin API): each cloud's
 * attachment listing (what `remediate scan` and `plan` call) of the 1,000-target organisation, alone, and
 * the three at once as `remediate scan` runs them. No goal is set: the figures are reported. Every listing
 * must return all 1,000 attachments with no error; the list calls made and any throttled ones are counted
 * from the sandbox's call log.
 */
export async function scanSpeed(): Promise<BenchRow[]> {
  const sandbox = await startServer(join(__dirname, 'servers/sandbox.ts'));
  try {
    await admin(sandbox.url, 'PUT', 'state', world());
    const context = { credentials: SANDBOX_CREDENTIALS, endpoint: sandbox.url, timeoutMs: 10_000 };
    const list = async (cloud: Provider): Promise<number> => {
      const begin = performance.now();
      const result: ListingResult = await ATTACHMENT_LISTERS[cloud].list(context);
      const ms = performance.now() - begin;
      if (result.error || result.attachments.length !== TARGETS)
        throw new Error(
          `scan bench ${cloud}: listed ${result.attachments.length} of ${TARGETS}${result.error ? `, ${result.error.code}: ${result.error.message}` : ''}`,
        );
      return ms;
    };
    const all = async (): Promise<number> => {
      const begin = performance.now();
      await Promise.all(CLOUDS.map(list));
      return performance.now() - begin;
    };

    for (const cloud of CLOUDS) await list(cloud); // warm-up: SDK clients, JIT
    await all();
    await admin(sandbox.url, 'DELETE', 'calls');
    const times: Record<Provider, number[]> = { alibaba: [], tencent: [], huawei: [] };
    const together: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < CLOUDS.length; k++) {
        const cloud = CLOUDS[(round + k) % CLOUDS.length] as Provider;
        times[cloud].push(await list(cloud));
      }
      together.push(await all());
    }
    const counts = (await admin(sandbox.url, 'GET', 'calls/count')) as CallCounts;
    const { calls } = (await admin(sandbox.url, 'GET', 'calls')) as { calls: CallRecord[] };
    const throttled = calls.filter(isThrottled).length;

    const rows: BenchRow[] = [];
    for (const cloud of CLOUDS) {
      const ms = median(times[cloud]);
      rows.push(
        reported(
          `${cloud}: attachments listed per second (${TARGETS} targets, one listing)`,
          TARGETS / (ms / 1000),
          '/s',
        ),
        { name: `${cloud}: one listing of the ${TARGETS} targets`, value: ms, unit: 'ms' },
        {
          name: `${cloud}: list calls per listing`,
          value: callsOf(counts, cloud) / (ROUNDS * 2),
          unit: 'calls',
        },
      );
    }
    rows.push(
      reported(
        `wall time to scan the ${TARGETS}-target organisation on all three clouds at once`,
        median(together),
        'ms',
      ),
      {
        name: 'list calls throttled during the measured rounds',
        value: throttled,
        unit: `of ${counts.total} calls`,
      },
    );
    return rows;
  } finally {
    await sandbox.stop();
  }
}

function callsOf(counts: CallCounts, cloud: Provider): number {
  return Object.entries(counts.byAction)
    .filter(([action]) => action.startsWith(`${cloud}:`))
    .reduce((sum, [, c]) => sum + c.total, 0);
}

/** A call the sandbox refused for its rate: HTTP 429 or the vendors' throttling codes. */
const isThrottled = (call: CallRecord): boolean =>
  call.httpStatus === 429 || /throttl|limitexceeded/i.test(call.code ?? '');
