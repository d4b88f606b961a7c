import pino from 'pino';
import { parseRules } from '../../shared/config/load-rules';
import { EMPTY_RULES, type RulesFile } from '../../shared/config/rules';
import type { Clock } from '../../shared/engine/clock';
import type { Delivery } from '../../shared/engine/delivery';
import { Engine, type EngineConfig } from '../../shared/engine/engine';
import type { Cloud } from '../../shared/providers/cloud';
import type {
  CallResult,
  ErrorClass,
  Presence,
  ProviderContext,
  ProviderError,
  ProviderOperation,
} from '../../shared/providers/types';
import type { TencentDetachPolicy } from '../../shared/requests';
import { MemoryStore } from '../../shared/state/memory';

/** A clock that moves only when told to, or when something waits on it (instantly). */
export class FakeClock implements Clock {
  constructor(public at = Date.parse('2026-06-01T00:00:00Z')) {}
  now = (): number => this.at;
  sleep = async (ms: number): Promise<void> => {
    this.at += ms;
  };
  random = (): number => 0.5;
  advance(ms: number): void {
    this.at += ms;
  }
}

export const failure = (
  errorClass: ErrorClass,
  code: string = errorClass,
  httpStatus: number | undefined = 400,
) => ({
  ok: false as const,
  error: {
    provider: 'tencent',
    errorClass,
    code,
    httpStatus,
    message: `fake ${code}`,
  } satisfies ProviderError,
});
export const success: CallResult = { ok: true };

/**
 * A Tencent detach-policy operation whose answers are scripted: `answers` are taken one per call (the last
 * repeats), `presence` is what a read of the truth finds. Every call is recorded; no SDK, no network.
 */
export class FakeOperation implements ProviderOperation<TencentDetachPolicy> {
  readonly effect = 'detach' as const;
  readonly permissions = ['organization:DetachPolicy', 'organization:ListPoliciesForTarget'];
  readonly calls: string[] = [];
  presence: Presence = { state: 'present' };
  fallback?: ProviderOperation<TencentDetachPolicy>['fallback'];

  constructor(public answers: CallResult[] = [success]) {}

  async execute(request: TencentDetachPolicy): Promise<CallResult> {
    this.calls.push(`detach ${request.policyId}`);
    const answer = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
    return answer ?? success;
  }

  async stillPresent(): Promise<Presence> {
    this.calls.push('read');
    return this.presence;
  }

  /** Adds the `replace-with` capability; `detachAnswers` script the plain detaches after the fallback. */
  withFallback(): this {
    this.fallback = {
      attach: async (_request, policyId) => {
        this.calls.push(`attach ${policyId}`);
        return success;
      },
      detach: async (_request, policyId) => {
        this.calls.push(`detach-fallback ${policyId}`);
        return success;
      },
    };
    return this;
  }

  get detaches(): number {
    return this.calls.filter((c) => c.startsWith('detach ')).length;
  }
}

export const ACCOUNT = '100000000001';
export const CONTEXT: ProviderContext = {
  credentials: {
    accessKeyId: 'AKIDfake',
    accessKeySecret: 'planted-secret-value',
    securityToken: 'planted-token',
  },
  endpoint: 'http://127.0.0.1:9',
  timeoutMs: 1_000,
};

export function fakeCloud(operation: FakeOperation): Cloud & { accountAsks: number } {
  const cloud = {
    provider: 'tencent' as const,
    operations: { 'tencent/detach-policy': operation },
    accountAsks: 0,
    callerIdentity: {
      ask: async () => {
        cloud.accountAsks++;
        return ACCOUNT;
      },
      error: (error: unknown) => failure('transient', String(error)).error,
    },
  };
  return cloud;
}

export function detach(policyId: number, targetId = 1001): TencentDetachPolicy {
  return {
    provider: 'tencent',
    operation: 'detach-policy',
    policyId,
    targetId,
    targetType: 'NODE',
    type: 'SERVICE_CONTROL_POLICY',
  };
}

export interface FakeWorld {
  engine: Engine;
  store: MemoryStore;
  clock: FakeClock;
  operation: FakeOperation;
  cloud: ReturnType<typeof fakeCloud>;
  /** A delivery of an explicit order (queue) unless told otherwise, off any platform, 60 s from now. */
  delivery(eventId: string, overrides?: Partial<Delivery>): Delivery;
}

/** An engine over one fake cloud, a memory store and a fake clock, with retries as in production. */
export function fakeWorld(
  options: { answers?: CallResult[]; rules?: RulesFile | string } & Partial<Omit<EngineConfig, 'rules'>> = {},
): FakeWorld {
  const clock = new FakeClock();
  const store = new MemoryStore();
  const operation = new FakeOperation(options.answers);
  const cloud = fakeCloud(operation);
  const rules =
    typeof options.rules === 'string'
      ? parseRules(options.rules, 'test rules')
      : (options.rules ?? EMPTY_RULES);
  const { answers: _answers, rules: _rules, ...config } = options;
  const engine = new Engine({
    store,
    logger: pino({ level: 'silent' }),
    dryRun: false,
    clock,
    ...config,
    rules,
    clouds: [cloud],
  });
  const delivery = (eventId: string, overrides: Partial<Delivery> = {}): Delivery => ({
    trigger: 'queue',
    eventId,
    explicit: true,
    deadline: clock.now() + 60_000,
    context: CONTEXT,
    onPlatform: false,
    ...overrides,
  });
  return { engine, store, clock, operation, cloud, delivery };
}
