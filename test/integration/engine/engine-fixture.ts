import pino from 'pino';
import type { Sandbox } from '../../../sandbox/server';
import { emptyWorld, type WorldInput } from '../../../sandbox/world';
import { parseRules } from '../../../shared/config/load-rules';
import { EMPTY_RULES, type RulesFile } from '../../../shared/config/rules';
import type { Delivery } from '../../../shared/engine/delivery';
import { Engine } from '../../../shared/engine/engine';
import type { RetryPolicy } from '../../../shared/engine/retry';
import { REDACTED_PATHS } from '../../../shared/logger';
import type { Outcome } from '../../../shared/outcomes';
import { ALL_CLOUDS } from '../../../shared/providers/all';
import type { ErrorClass, ProviderContext } from '../../../shared/providers/types';
import {
  type AlibabaDetachPolicy,
  parseRequest,
  type RemediationRequest,
  type TencentDetachPolicy,
} from '../../../shared/requests';
import { MemoryStore } from '../../../shared/state/memory';
import type { StateStore } from '../../../shared/state/types';
import { FAST_RETRIES } from '../../helpers/engine';

/** The account of the default Alibaba key (emptyWorld), and the Tencent organization owner. */
export const ALIBABA_ACCOUNT = '1000000000000001';
export const TENCENT_OWNER = 100000000001;

export const RG = { prod: 'rg-prod0001', creating: 'rg-new00001' } as const;
export const NODE = { root: 1000, bulk: 1003, lone: 1004 } as const;
/** SCPs bound to the bulk department: a warm-up detach and a burst of 30, and one still remains. */
export const BULK_FIRST = 300_000;
export const BULK_COUNT = 32;
export const LONE_POLICY = 100_002;
/** Departments holding one SCP each (their last), and the fallback the replace-with strategy attaches. */
export const LAST_NODE_FIRST = 2_000;
export const LAST_POLICY_FIRST = 700_000;
export const LAST_COUNT = 15;
export const FALLBACK_POLICY = 100_003;

/**
 * Credentials the engine signs with. The secret and the token are planted values: they must never show
 * up in a dead letter or a log line.
 */
export const PLANTED = {
  accessKeyId: 'STS.engine',
  accessKeySecret: 'PLANTED-secret-9f8e7d6c',
  securityToken: 'PLANTED-token-1a2b3c4d',
} as const;

export const user = (name: string) => `${name}@corp.onaliyun.com`;
/** Users holding AdministratorAccess in the production group, one per test that needs a fresh one. */
export const ADMINS = Array.from({ length: 40 }, (_, i) => user(`admin${String(i).padStart(2, '0')}`));

export function engineWorld(): WorldInput {
  const base = emptyWorld();
  const scp = (policyId: number, name: string) => ({
    policyId,
    name,
    type: 'SERVICE_CONTROL_POLICY' as const,
  });
  const bulk = Array.from({ length: BULK_COUNT }, (_, i) => BULK_FIRST + i);
  const lasts = Array.from({ length: LAST_COUNT }, (_, i) => i);
  const admin = (resourceGroupId: string, principalName: string, policyName = 'AdministratorAccess') => ({
    resourceGroupId,
    policyType: 'System' as const,
    policyName,
    principalType: 'IMSUser' as const,
    principalName,
  });
  return {
    ...base,
    keys: [
      {
        cloud: 'alibaba',
        accessKeyId: PLANTED.accessKeyId,
        secret: PLANTED.accessKeySecret,
        token: PLANTED.securityToken,
      },
      {
        cloud: 'tencent',
        accessKeyId: PLANTED.accessKeyId,
        secret: PLANTED.accessKeySecret,
        token: PLANTED.securityToken,
      },
    ],
    alibaba: {
      defaultAccount: ALIBABA_ACCOUNT,
      accounts: {
        [ALIBABA_ACCOUNT]: {
          resourceGroups: [
            { id: RG.prod, name: 'prod', displayName: 'Production', status: 'OK' },
            { id: RG.creating, name: 'new', displayName: 'Being created', status: 'Creating' },
          ],
          policies: ['AdministratorAccess', 'ReadOnlyAccess', 'AliyunOSSFullAccess'].map((name) => ({
            name,
            type: 'System' as const,
            versions: [{ versionId: 'v1', isDefault: true }],
          })),
          attachments: [
            ...ADMINS.map((name) => admin(RG.prod, name)),
            admin(RG.prod, user('breakglass')),
            admin(RG.prod, user('ops-bot')),
            admin(RG.prod, user('old-exempt')),
            admin(RG.prod, user('reader'), 'ReadOnlyAccess'),
            admin(RG.prod, 'ci-deployer', 'AliyunOSSFullAccess'),
            admin(RG.creating, user('analyst')),
          ],
        },
      },
    },
    tencent: {
      defaultAccount: String(TENCENT_OWNER),
      organizations: [
        {
          orgId: 1,
          ownerUin: String(TENCENT_OWNER),
          rootNodeId: NODE.root,
          nodes: [
            { nodeId: NODE.root, name: 'root', parentNodeId: null },
            { nodeId: NODE.bulk, name: 'Bulk', parentNodeId: NODE.root },
            { nodeId: NODE.lone, name: 'Lone', parentNodeId: NODE.root },
            ...lasts.map((i) => ({
              nodeId: LAST_NODE_FIRST + i,
              name: `Last-${i}`,
              parentNodeId: NODE.root,
            })),
          ],
          members: [{ uin: String(TENCENT_OWNER), name: 'management', nodeId: NODE.root }],
          policies: [
            { ...scp(1, 'FullQcloudAccess'), category: 1 },
            scp(LONE_POLICY, 'AllowAllExperimental'),
            ...bulk.map((id) => scp(id, `Bulk-${id}`)),
            scp(FALLBACK_POLICY, 'BaselineFallback'),
            ...lasts.map((i) => scp(LAST_POLICY_FIRST + i, `Last-${i}`)),
          ],
          enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'],
          bindings: [
            { policyId: 1, targetId: NODE.root, targetType: 'NODE' },
            { policyId: LONE_POLICY, targetId: NODE.lone, targetType: 'NODE' },
            ...bulk.map((id) => ({ policyId: id, targetId: NODE.bulk, targetType: 'NODE' as const })),
            ...lasts.map((i) => ({
              policyId: LAST_POLICY_FIRST + i,
              targetId: LAST_NODE_FIRST + i,
              targetType: 'NODE' as const,
            })),
          ],
        },
      ],
    },
  };
}

function parsed<R extends RemediationRequest>(input: Record<string, unknown>): R {
  const result = parseRequest(input);
  if (!result.ok) throw new Error(`bad test request: ${result.field} ${result.rule}`);
  return result.request as R;
}

/** AdministratorAccess (unless told otherwise) detached from a user in the production group. */
export function alibabaDetach(
  principalName: string,
  fields: Partial<AlibabaDetachPolicy> = {},
): AlibabaDetachPolicy {
  return parsed({
    provider: 'alibaba',
    operation: 'detach-policy',
    resourceGroupId: RG.prod,
    policyType: 'System',
    policyName: 'AdministratorAccess',
    principalType: 'IMSUser',
    principalName,
    ...fields,
  });
}

export function tencentDetach(policyId: number, targetId: number): TencentDetachPolicy {
  return parsed({ provider: 'tencent', operation: 'detach-policy', policyId, targetId, targetType: 'NODE' });
}

/** A JSON log line as pino wrote it. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger like the project's (same redaction), writing into memory instead of stderr. */
export function memoryLogger() {
  const raw: string[] = [];
  // pino writes each line synchronously to any object with a write method.
  const sink = { write: (line: string) => void raw.push(line) };
  const logger = pino({ level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
  return {
    logger,
    raw,
    lines: (): LogLine[] =>
      raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LogLine),
  };
}

export interface TestEngine {
  engine: SandboxEngine;
  store: StateStore;
  logs: ReturnType<typeof memoryLogger>;
}

/** An engine against the sandbox with fast retries, a memory store and an in-memory log. */
export function makeEngine(
  sandbox: Sandbox,
  options: {
    rules?: RulesFile | string;
    store?: StateStore;
    dryRun?: boolean;
    retryPolicies?: Partial<Record<ErrorClass, RetryPolicy>>;
    credentials?: ProviderContext['credentials'];
    /** Credentials per call, e.g. STS keys that rotate between requests. */
    credentialsFor?: () => ProviderContext['credentials'];
    maxActions?: number;
  } = {},
): TestEngine {
  const store = options.store ?? new MemoryStore();
  const logs = memoryLogger();
  const rules =
    typeof options.rules === 'string'
      ? parseRules(options.rules, 'test rules')
      : (options.rules ?? EMPTY_RULES);
  const credentials = options.credentials ?? { ...PLANTED };
  const context = (): ProviderContext => ({
    credentials: options.credentialsFor?.() ?? credentials,
    endpoint: sandbox.url,
    timeoutMs: 2_000,
  });
  const engine = new SandboxEngine(context, {
    clouds: ALL_CLOUDS,
    store,
    rules,
    logger: logs.logger,
    dryRun: options.dryRun ?? false,
    retryPolicies: options.retryPolicies ?? FAST_RETRIES,
    maxActions: options.maxActions,
  });
  return { engine, store, logs };
}

/** A delivery whose context, when not given, is the sandbox's (see SandboxEngine). */
export type TestDelivery = Omit<Delivery, 'context'> & { context?: ProviderContext };

/** An engine whose deliveries reach the test's sandbox unless they say otherwise. */
export class SandboxEngine extends Engine {
  constructor(
    private readonly sandboxContext: () => ProviderContext,
    config: ConstructorParameters<typeof Engine>[0],
  ) {
    super(config);
  }

  /** The sandbox's context, for what takes a context of its own (redrive). */
  readonly reach = (): ProviderContext => this.sandboxContext();

  override handle(request: RemediationRequest, delivery: TestDelivery): Promise<Outcome> {
    return super.handle(request, { ...delivery, context: delivery.context ?? this.sandboxContext() });
  }

  override handleInput(
    input: unknown,
    delivery: TestDelivery,
    refused?: Parameters<Engine['handleInput']>[2],
  ) {
    return super.handleInput(
      input,
      { ...delivery, context: delivery.context ?? this.sandboxContext() },
      refused,
    );
  }
}

/** An explicit order from the queue, settled within 20 s, off any platform. */
export function delivery(eventId: string, overrides: Partial<TestDelivery> = {}): TestDelivery {
  return {
    trigger: 'queue',
    eventId,
    explicit: true,
    deadline: Date.now() + 20_000,
    onPlatform: false,
    ...overrides,
  };
}
