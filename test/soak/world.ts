/**
 * The soak's world generator: N distinct attachments over the three clouds, each removed by one queue
 * request with its own event id, about 5 % of them ending in a permanent error by construction, and the
 * keys the workers sign with (their secrets and tokens carry a planted marker the checker hunts for).
 */
import type { World, WorldInput } from '../../sandbox/world';
import type { DeadLetterReason } from '../../shared/outcomes';

export type Cloud = 'alibaba' | 'tencent' | 'huawei';
/** Which credentials deliver a request: the workers' own, or a key refused the mutating calls. */
export type Route = 'main' | 'denied';

export const ALIBABA_ACCOUNT = '1000000000000001';
export const TENCENT_ACCOUNT = '100000000001';
export const HUAWEI_ACCOUNT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

export type Target =
  | {
      kind: 'alibaba-attachment';
      resourceGroupId: string;
      policyType: 'System' | 'Custom';
      policyName: string;
      principalType: 'IMSUser' | 'IMSGroup' | 'ServiceRole';
      principalName: string;
    }
  | { kind: 'alibaba-policy'; policyName: string }
  | { kind: 'alibaba-control'; policyId: string; targetId: string }
  | { kind: 'tencent-binding'; policyId: number; targetId: number; targetType: 'NODE' | 'MEMBER' }
  | { kind: 'huawei-attachment'; policyId: string; agencyId: string };

export interface SoakCase {
  index: number;
  cloud: Cloud;
  route: Route;
  /** The queue message id every copy of this request is delivered under. */
  messageId: string;
  /** The RemediationRequest as JSON, with its own event id. */
  request: Record<string, unknown>;
  /** `undefined`: remediable; otherwise the dead-letter reason it must end with. */
  permanent?: DeadLetterReason;
  /** What the request removes: gone at the end unless the request is permanent. */
  target: Target;
}

export interface SoakKey {
  cloud: Cloud;
  accessKeyId: string;
  secret: string;
  token: string;
}

export interface SoakWorld {
  world: WorldInput;
  cases: SoakCase[];
  /** The marker planted in every secret and token: it must never appear in any output. */
  planted: string;
  /** Per worker name (`w0`, `d1`, … and `denied`), per cloud. */
  keys: Record<string, Record<Cloud, SoakKey>>;
}

export interface GenerateOptions {
  requests: number;
  /** Names of the processes that get a key of their own (calls are attributed by key). */
  workers: readonly string[];
  seed: number;
  /** Share of requests that end in a permanent error (default 0.05). */
  permanentShare?: number;
  /** Distinguishes runs sharing a store. */
  runId: string;
  planted: string;
}

const PERMANENT_KINDS = [
  { cloud: 'alibaba', reason: 'attached-elsewhere' },
  { cloud: 'tencent', reason: 'last-policy' },
  { cloud: 'huawei', reason: 'permission' },
  { cloud: 'alibaba', reason: 'last-policy' },
  { cloud: 'tencent', reason: 'policy-type-disabled' },
  { cloud: 'alibaba', reason: 'permission' },
] as const;

const ALIBABA_SYSTEM = [
  'AdministratorAccess',
  'AliyunOSSFullAccess',
  'AliyunECSFullAccess',
  'AliyunRAMFullAccess',
];
const RESOURCE_GROUPS = 16;
const TENCENT_FULL_ACCESS = 1;
const TENCENT_CUSTOM = 12;
const HUAWEI_POLICIES = 10;
const DENIED_ACTIONS: Record<Cloud, string[]> = {
  alibaba: ['DetachPolicy', 'DeletePolicy', 'DetachControlPolicy', 'DeletePolicyVersion'],
  tencent: ['DetachPolicy'],
  huawei: ['DetachAgencyPolicyV5'],
};

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export function generateSoakWorld(options: GenerateOptions): SoakWorld {
  const random = mulberry32(options.seed);
  const builder = new Builder(options);
  const permanentCount = Math.round(options.requests * (options.permanentShare ?? 0.05));
  for (let i = 0; i < options.requests; i++) {
    if (i < permanentCount) {
      const kind = PERMANENT_KINDS[i % PERMANENT_KINDS.length] as (typeof PERMANENT_KINDS)[number];
      builder.permanent(kind.cloud, kind.reason);
    } else {
      builder.remediable((['alibaba', 'tencent', 'huawei'] as const)[i % 3] as Cloud, random);
    }
  }
  const cases = shuffle(builder.cases, random);
  return { world: builder.world(), cases, planted: options.planted, keys: builder.keys };
}

/** Allocates distinct attachments per cloud and keeps the world that holds them. */
class Builder {
  readonly cases: SoakCase[] = [];
  readonly keys: SoakWorld['keys'] = {};
  private readonly alibaba = {
    policies: ALIBABA_SYSTEM.map((name) => ({ name, type: 'System', versions: [v1()] })) as {
      name: string;
      type: 'System' | 'Custom';
      versions: { versionId: string; isDefault: boolean }[];
    }[],
    attachments: [] as Omit<Extract<Target, { kind: 'alibaba-attachment' }>, 'kind'>[],
    folders: [{ id: 'r-soak', name: 'Root', parentId: null as string | null }],
    controlPolicies: [{ id: 'cp-full', name: 'FullAliyunAccess', type: 'System' }] as {
      id: string;
      name: string;
      type: 'System' | 'Custom';
    }[],
    controlAttachments: [{ policyId: 'cp-full', targetId: 'r-soak' }],
  };
  private readonly tencent = {
    members: [] as { uin: string; name: string; nodeId: number }[],
    nodes: [{ nodeId: 1, name: 'Root', parentNodeId: null as number | null }],
    bindings: [] as { policyId: number; targetId: number; targetType: 'NODE' | 'MEMBER' }[],
  };
  private readonly huawei = {
    agencies: [] as { agencyId: string; name: string }[],
    attachments: [] as { policyId: string; agencyId: string }[],
  };
  private n = 0;
  private tencentSlot = 0;
  private huaweiSlot = 0;

  constructor(private readonly options: GenerateOptions) {
    for (const name of [...options.workers, 'denied']) {
      const key = (cloud: Cloud): SoakKey => ({
        cloud,
        accessKeyId: `soak-${name}`,
        secret: `sk-${options.planted}-${name}`,
        token: `tk-${options.planted}-${name}`,
      });
      this.keys[name] = { alibaba: key('alibaba'), tencent: key('tencent'), huawei: key('huawei') };
    }
  }

  /** Tencent and Huawei: one detach each; Alibaba: mostly RAM detaches, some control policies, some cascades. */
  remediable(cloud: Cloud, random: () => number): void {
    if (cloud !== 'alibaba') {
      const target = cloud === 'tencent' ? this.tencentBinding('normal') : this.huaweiAttachment();
      this.push(cloud, 'main', target);
      return;
    }
    const draw = random();
    if (draw < 0.08) this.push('alibaba', 'main', this.controlAttachment(true));
    else if (draw < 0.12) {
      const name = `soak-cascade-${this.n}`;
      this.customPolicy(name, `c${this.n}@soak.onaliyun.com`);
      this.push('alibaba', 'main', { kind: 'alibaba-policy', policyName: name }, { cascade: true });
    } else this.push('alibaba', 'main', this.alibabaAttachment());
  }

  permanent(cloud: Cloud, reason: DeadLetterReason): void {
    if (cloud === 'alibaba' && reason === 'attached-elsewhere') {
      const name = `soak-keep-${this.n}`;
      this.customPolicy(name, `k${this.n}@soak.onaliyun.com`);
      this.push(cloud, 'main', { kind: 'alibaba-policy', policyName: name }, {}, reason);
    } else if (cloud === 'alibaba' && reason === 'last-policy') {
      this.push(cloud, 'main', this.controlAttachment(false), {}, reason);
    } else if (cloud === 'alibaba') {
      this.push(cloud, 'denied', this.alibabaAttachment(), {}, reason);
    } else if (cloud === 'tencent' && reason === 'last-policy') {
      this.push(cloud, 'main', this.tencentBinding('last'), {}, reason);
    } else if (cloud === 'tencent') {
      // A tag policy bound before the type was disabled: the detach names a type the organization refuses.
      this.push(cloud, 'main', this.tencentBinding('tag'), { type: 'TAG_POLICY' }, reason);
    } else {
      this.push(cloud, 'denied', this.huaweiAttachment(), {}, reason);
    }
  }

  private push(
    cloud: Cloud,
    route: Route,
    target: Target,
    extra: Record<string, unknown> = {},
    permanent?: DeadLetterReason,
  ): void {
    const index = this.cases.length;
    const { kind: _kind, ...fields } = target;
    const [provider, operation] =
      target.kind === 'alibaba-attachment'
        ? ['alibaba', 'detach-policy']
        : target.kind === 'alibaba-policy'
          ? ['alibaba', 'delete-policy']
          : target.kind === 'alibaba-control'
            ? ['alibaba', 'detach-control-policy']
            : target.kind === 'tencent-binding'
              ? ['tencent', 'detach-policy']
              : ['huawei', 'detach-agency-policy'];
    const account = { alibaba: ALIBABA_ACCOUNT, tencent: TENCENT_ACCOUNT, huawei: HUAWEI_ACCOUNT }[cloud];
    const request = {
      provider,
      operation,
      ...(target.kind === 'alibaba-policy' ? { policyName: target.policyName } : fields),
      ...extra,
      // The breaker and the rate limiter count per account, whichever instance's key signs the call.
      account,
      source: 'soak',
      eventId: `soak-${this.options.runId}-${index}`,
    };
    this.cases.push({
      index,
      cloud,
      route,
      messageId: `msg-${this.options.runId}-${index}`,
      request,
      ...(permanent ? { permanent } : {}),
      target,
    });
    this.n++;
  }

  private alibabaAttachment(): Target {
    const i = this.n;
    const principalType = (['IMSUser', 'IMSGroup', 'ServiceRole'] as const)[i % 3] ?? 'IMSUser';
    const principalName =
      principalType === 'IMSUser'
        ? `u${i}@soak.onaliyun.com`
        : principalType === 'IMSGroup'
          ? `g${i}`
          : `r${i}`;
    const target = {
      kind: 'alibaba-attachment' as const,
      resourceGroupId: `rg-soak${i % RESOURCE_GROUPS}`,
      policyType: 'System' as const,
      policyName: ALIBABA_SYSTEM[i % ALIBABA_SYSTEM.length] as string,
      principalType,
      principalName,
    };
    const { kind: _kind, ...attachment } = target;
    this.alibaba.attachments.push(attachment);
    return target;
  }

  /** A custom policy attached to one user: deletable with cascade, a DeleteConflict without. */
  private customPolicy(name: string, user: string): void {
    this.alibaba.policies.push({ name, type: 'Custom', versions: [v1()] });
    this.alibaba.attachments.push({
      resourceGroupId: `rg-soak${this.n % RESOURCE_GROUPS}`,
      policyType: 'Custom',
      policyName: name,
      principalType: 'IMSUser',
      principalName: user,
    });
  }

  /** A folder with its own control policy; with `keepFull` it also keeps FullAliyunAccess, else it is the last. */
  private controlAttachment(keepFull: boolean): Target {
    const folder = `fd-soak${this.n}`;
    const policyId = `cp-soak${this.n}`;
    this.alibaba.folders.push({ id: folder, name: `soak ${this.n}`, parentId: 'r-soak' });
    this.alibaba.controlPolicies.push({ id: policyId, name: `soak-${this.n}`, type: 'Custom' });
    if (keepFull) this.alibaba.controlAttachments.push({ policyId: 'cp-full', targetId: folder });
    this.alibaba.controlAttachments.push({ policyId, targetId: folder });
    return { kind: 'alibaba-control', policyId, targetId: folder };
  }

  /**
   * A Tencent binding. `normal`: a custom policy on its own (target, policy) slot, targets being members
   * and one in ten a department, each keeping FullAccess so the detach never removes its last policy;
   * `last`: a member whose only policy it is; `tag`: a tag policy on a member of its own.
   */
  private tencentBinding(kind: 'normal' | 'last' | 'tag'): Target {
    const bind = (policyId: number, targetId: number, targetType: 'NODE' | 'MEMBER'): Target => {
      this.tencent.bindings.push({ policyId, targetId, targetType });
      return { kind: 'tencent-binding', policyId, targetId, targetType };
    };
    const member = (uin: number, name: string) => {
      this.tencent.members.push({ uin: String(uin), name, nodeId: 1 });
      return uin;
    };
    if (kind === 'last') return bind(1001, member(300000000000 + this.n, `last-${this.n}`), 'MEMBER');
    if (kind === 'tag') {
      const uin = member(400000000000 + this.n, `tagged-${this.n}`);
      bind(TENCENT_FULL_ACCESS, uin, 'MEMBER');
      return bind(5001 + (this.n % 3), uin, 'MEMBER');
    }
    const slot = this.tencentSlot++;
    const number = Math.floor(slot / TENCENT_CUSTOM);
    const targetType = number % 10 === 9 ? 'NODE' : 'MEMBER';
    const targetId = targetType === 'NODE' ? 10000 + number : 200000000000 + number;
    if (slot % TENCENT_CUSTOM === 0) {
      if (targetType === 'NODE')
        this.tencent.nodes.push({ nodeId: targetId, name: `dept-${number}`, parentNodeId: 1 });
      else member(targetId, `member-${number}`);
      bind(TENCENT_FULL_ACCESS, targetId, targetType);
    }
    return bind(1001 + (slot % TENCENT_CUSTOM), targetId, targetType);
  }

  private huaweiAttachment(): Target {
    const slot = this.huaweiSlot++;
    const agencyId = `ag-soak-${Math.floor(slot / HUAWEI_POLICIES)}`;
    if (slot % HUAWEI_POLICIES === 0) this.huawei.agencies.push({ agencyId, name: agencyId });
    const policyId = `p-soak-${slot % HUAWEI_POLICIES}`;
    this.huawei.attachments.push({ policyId, agencyId });
    return { kind: 'huawei-attachment', policyId, agencyId };
  }

  world(): WorldInput {
    const keys = Object.entries(this.keys).flatMap(([name, byCloud]) =>
      Object.values(byCloud).map((key) => ({
        cloud: key.cloud,
        accessKeyId: key.accessKeyId,
        secret: key.secret,
        token: key.token,
        deny: name === 'denied' ? DENIED_ACTIONS[key.cloud] : [],
      })),
    );
    return {
      keys,
      limits: {},
      alibaba: {
        defaultAccount: ALIBABA_ACCOUNT,
        accounts: {
          [ALIBABA_ACCOUNT]: {
            resourceGroups: Array.from({ length: RESOURCE_GROUPS }, (_, i) => ({
              id: `rg-soak${i}`,
              name: `soak-${i}`,
            })),
            policies: this.alibaba.policies,
            attachments: this.alibaba.attachments,
            resourceDirectory: {
              id: 'rd-soak',
              rootFolderId: 'r-soak',
              folders: this.alibaba.folders,
              members: [],
              controlPolicies: this.alibaba.controlPolicies,
              controlPolicyAttachments: this.alibaba.controlAttachments,
            },
          },
        },
      },
      tencent: {
        defaultAccount: TENCENT_ACCOUNT,
        organizations: [
          {
            orgId: 1,
            ownerUin: TENCENT_ACCOUNT,
            rootNodeId: 1,
            nodes: this.tencent.nodes,
            members: this.tencent.members,
            policies: [
              {
                policyId: TENCENT_FULL_ACCESS,
                name: 'FullQcloudAccess',
                type: 'SERVICE_CONTROL_POLICY',
                category: 1,
              },
              ...Array.from({ length: TENCENT_CUSTOM }, (_, i) => ({
                policyId: 1001 + i,
                name: `soak-scp-${i}`,
                type: 'SERVICE_CONTROL_POLICY' as const,
              })),
              ...[5001, 5002, 5003].map((policyId) => ({
                policyId,
                name: `soak-tag-${policyId}`,
                type: 'TAG_POLICY' as const,
              })),
            ],
            // Tag policies were enabled once (their bindings remain), and are not any more.
            enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'],
            bindings: this.tencent.bindings,
          },
        ],
      },
      huawei: {
        defaultAccount: HUAWEI_ACCOUNT,
        accounts: {
          [HUAWEI_ACCOUNT]: {
            agencies: this.huawei.agencies,
            policies: Array.from({ length: HUAWEI_POLICIES }, (_, i) => ({
              policyId: `p-soak-${i}`,
              name: `soak-policy-${i}`,
              type: 'custom' as const,
              urn: `iam::${HUAWEI_ACCOUNT}:policy:soak-policy-${i}`,
            })),
            attachments: this.huawei.attachments,
          },
        },
      },
    };
  }
}

function v1() {
  return { versionId: 'v1', isDefault: true };
}

/** Whether what the case removes is still in the (final) world. */
export function stillPresent(world: World, target: Target): boolean {
  switch (target.kind) {
    case 'alibaba-attachment': {
      const { kind: _kind, ...key } = target;
      return (world.alibaba.accounts[ALIBABA_ACCOUNT]?.attachments ?? []).some((a) =>
        (Object.keys(key) as (keyof typeof key)[]).every((field) => a[field] === key[field]),
      );
    }
    case 'alibaba-policy':
      return (world.alibaba.accounts[ALIBABA_ACCOUNT]?.policies ?? []).some(
        (p) => p.type === 'Custom' && p.name === target.policyName,
      );
    case 'alibaba-control':
      return (
        world.alibaba.accounts[ALIBABA_ACCOUNT]?.resourceDirectory?.controlPolicyAttachments ?? []
      ).some((a) => a.policyId === target.policyId && a.targetId === target.targetId);
    case 'tencent-binding':
      return (world.tencent.organizations[0]?.bindings ?? []).some(
        (b) =>
          b.policyId === target.policyId &&
          b.targetId === target.targetId &&
          b.targetType === target.targetType,
      );
    case 'huawei-attachment':
      return (world.huawei.accounts[HUAWEI_ACCOUNT]?.attachments ?? []).some(
        (a) => a.policyId === target.policyId && a.agencyId === target.agencyId,
      );
  }
}
