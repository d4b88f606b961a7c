import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { fcHttpEvent, queueBatchEvent } from '../../local/platform-events';
import type { CallRecord } from '../../sandbox/calls';
import { loadSeed } from '../../sandbox/seeds';
import { type Sandbox, startSandbox } from '../../sandbox/server';
import { signBody } from '../../shared/http/signature';
import type { Outcome } from '../../shared/outcomes';
import { PLATFORMS } from '../../shared/platform/all';

export const CLOUDS = ['alibaba', 'tencent', 'huawei'] as const;
export type Cloud = (typeof CLOUDS)[number];
export const FUNCTIONS = ['audit-log', 'queue-cleanup', 'http-invoke'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** The name each platform calls (docs/ARCHITECTURE.md, Functions and deployment). */
export const CONTRACT: Readonly<Record<Cloud, string>> = {
  alibaba: 'handler',
  tencent: 'main_handler',
  huawei: 'handler',
};

export const HTTP_SECRET = 'e2e-http-secret-0123456789abcdef';

/** The demo seed's temporary keys: on a platform, functions only ever get a role's STS credentials. */
export const STS = { accessKeyId: 'STS.sandbox', secret: 'sandbox-sts-secret', token: 'sandbox-sts-token' };

export const bundlePath = (cloud: Cloud, fn: FunctionName): string =>
  join(inject('bundleDir'), cloud, fn, 'index.js');

/**
 * A fresh copy of a built bundle, loaded with plain `require` from the temp dir: its own module state,
 * as a new function instance (a cold start) has. The bundles keep their runtime per process and read the
 * environment at first use, so every copy starts from the environment of its first invocation.
 */
export function loadBundle(cloud: Cloud, fn: FunctionName): Record<string, unknown> {
  const path = bundlePath(cloud, fn);
  const load = createRequire(path);
  delete load.cache[path];
  const exports = load(path) as Record<string, unknown>;
  delete load.cache[path];
  return exports;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export interface InvokeOptions {
  /** The function's configured time-out (FC: whole seconds). */
  timeoutMs?: number;
  /** A function deployed without a role (FC, SCF) or agency (FunctionGraph): no credentials at all. */
  noRole?: boolean;
}

/**
 * One function instance: a fresh bundle copy called exactly as its platform calls it. FC passes the event
 * as a Buffer of JSON and the role's credentials in `context.credentials`; SCF passes the event object and
 * puts the credentials in TENCENTCLOUD_SECRETID / SECRETKEY / SESSIONTOKEN; FunctionGraph passes the
 * event object and a context with getters.
 */
export class FunctionInstance {
  private readonly handler: Handler;

  constructor(
    readonly cloud: Cloud,
    readonly fn: FunctionName,
    /** REMEDIATE_STATE of this instance; instances given the same one share their state, as in the cloud. */
    readonly state: string,
  ) {
    const exports = loadBundle(cloud, fn);
    this.handler = exports[CONTRACT[cloud]] as Handler;
    if (typeof this.handler !== 'function') throw new Error(`${cloud}/${fn} exports no ${CONTRACT[cloud]}`);
  }

  /**
   * Like the platforms' runtimes, a handler that throws before returning its promise (the handlers
   * adapt the context synchronously) counts as a failed invocation, the same as a rejected promise.
   */
  async invoke(event: unknown, options: InvokeOptions = {}): Promise<unknown> {
    return this.call(event, options);
  }

  private call(event: unknown, options: InvokeOptions): Promise<unknown> {
    // Read by the bundle at its first invocation only.
    process.env.REMEDIATE_STATE = this.state;
    const timeoutMs = options.timeoutMs ?? 60_000;
    // Without a role the platform hands empty credentials, which the function must refuse.
    const credentials = options.noRole
      ? { accessKeyId: '', accessKeySecret: '', securityToken: '' }
      : { accessKeyId: STS.accessKeyId, accessKeySecret: STS.secret, securityToken: STS.token };
    const call = PLATFORMS[this.cloud].fake(event, { credentials, timeoutMs });
    // SCF hands the role's credentials in the environment, where the bundle reads them.
    Object.assign(process.env, call.env);
    return this.handler(call.event, call.context);
  }
}

export interface Settlement {
  outcomes: Outcome[];
  counts: Partial<Record<Outcome['status'], number>>;
}

export interface E2E {
  sandbox: Sandbox;
  /** A new instance of a function with its own, empty state store (unless given another's). */
  instance(cloud: Cloud, fn: FunctionName, state?: string): FunctionInstance;
  /** A state store spec for instances meant to share it. */
  newState(): string;
  /**
   * The warm instance of a function for this test file, created at first use: invocations with
   * distinct event ids need no instance of their own (each new bundle copy costs a fraction of a second).
   */
  warm(cloud: Cloud, fn: FunctionName): FunctionInstance;
}

/**
 * One sandbox (demo seed) for the test file, the functions' environment pointed at it, and a rules file;
 * the sandbox's world, call log and faults are reset before each test.
 */
export function useE2E(): E2E {
  let dir = '';
  let sandbox: Sandbox | undefined;
  const warm = new Map<string, FunctionInstance>();
  const e2e: E2E = {
    get sandbox(): Sandbox {
      if (!sandbox) throw new Error('the sandbox is not started');
      return sandbox;
    },
    newState: () => `sqlite:${join(dir, `state-${randomUUID()}.db`)}`,
    instance: (cloud, fn, state = e2e.newState()) => new FunctionInstance(cloud, fn, state),
    warm: (cloud, fn) => {
      const key = `${cloud}/${fn}`;
      const existing = warm.get(key);
      if (existing) return existing;
      const created = e2e.instance(cloud, fn);
      warm.set(key, created);
      return created;
    },
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'remediate-e2e-run-'));
    const rulesPath = join(dir, 'rules.json');
    writeFileSync(rulesPath, JSON.stringify(RULES, null, 2));
    sandbox = await startSandbox({ seed: loadSeed('demo') });
    Object.assign(process.env, {
      REMEDIATE_ALIBABA_ENDPOINT: sandbox.url,
      REMEDIATE_TENCENT_ENDPOINT: sandbox.url,
      REMEDIATE_HUAWEI_ENDPOINT: sandbox.url,
      REMEDIATE_RULES: rulesPath,
      REMEDIATE_HTTP_SECRET: HTTP_SECRET,
      // The bundles' logger reads it when loaded: E2E_LOG_LEVEL=debug shows what the functions log.
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    });
    delete process.env.REMEDIATE_DRY_RUN;
    delete process.env.REMEDIATE_DEADLINE_MS;
  });
  beforeEach(() => {
    e2e.sandbox.reset();
  });
  afterAll(async () => {
    await sandbox?.stop();
    // The bundles' SQLite handles stay open until the process ends; unlinking them is fine on POSIX.
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return e2e;
}

/** What the security team enforces in these tests (the demo's rules, with last policies dead-lettered). */
export const RULES = {
  version: 1,
  rules: [
    {
      id: 'no-admin-in-resource-groups',
      provider: 'alibaba',
      operation: 'detach-policy',
      when: { policyName: ['AdministratorAccess', '*FullAccess'] },
    },
    {
      id: 'no-unapproved-control-policies',
      provider: 'alibaba',
      operation: 'detach-control-policy',
      when: { policyId: 'cp-AllowAll*' },
    },
    {
      id: 'scp-allowlist',
      provider: 'tencent',
      operation: 'detach-policy',
      unless: { policyId: [1, 100001, 200001] },
    },
    {
      id: 'no-full-access-agencies',
      provider: 'huawei',
      operation: 'detach-agency-policy',
      when: { policyId: '*full-access' },
    },
  ],
  exemptions: [
    {
      rule: 'no-admin-in-resource-groups',
      when: { principalName: 'breakglass@*' },
      reason: 'break-glass account',
      owner: 'secops@corp.example',
      expires: '2099-12-31',
    },
    {
      rule: 'no-full-access-agencies',
      when: { agencyId: '2c9f7e60-migration' },
      reason: 'migration window',
      owner: 'cloud-team@corp.example',
      expires: '2099-12-31',
    },
    {
      // Only for this agency and this policy: tests seed the policy (see BREAK_GLASS in scenarios.ts).
      rule: 'no-full-access-agencies',
      when: { agencyId: '5b3e0c1f-ci-deployer', policyId: 'e3a7d9c1-breakglass-full-access' },
      reason: 'break-glass role of the CI deployer',
      owner: 'cloud-team@corp.example',
      expires: '2099-12-31',
    },
    {
      // Only for this department and this SCP: tests seed the SCP (see BREAK_GLASS in scenarios.ts).
      rule: 'scp-allowlist',
      when: { targetId: 1001, policyId: 100003 },
      reason: 'break-glass SCP of department Production',
      owner: 'secops@corp.example',
      expires: '2099-12-31',
    },
  ],
  breaker: { maxActions: 50, window: '10m' },
  lastPolicy: { alibaba: 'dead-letter', tencent: 'dead-letter', huawei: 'dead-letter' },
};

// ---- the sandbox's side -------------------------------------------------------------------------------

/** Mutating calls the sandbox received (applied or not), in order. */
export const mutatingCalls = (sandbox: Sandbox): CallRecord[] => sandbox.calls.list({ mutating: true });

/** The last call of `action` on `cloud`: what a person's attach call left in the sandbox's log. */
export function lastCall(sandbox: Sandbox, cloud: Cloud, action: string): CallRecord {
  const calls = sandbox.calls.list({ cloud, action });
  const call = calls[calls.length - 1];
  if (!call) throw new Error(`the sandbox saw no ${cloud} ${action} call`);
  return call;
}

// ---- queue batches ------------------------------------------------------------------------------------

/** A queue batch in the format of the cloud's queue trigger, one message per body (ids given or new). */
export function queueBatch(cloud: Cloud, bodies: readonly unknown[], ids?: readonly string[]): unknown {
  return queueBatchEvent(
    cloud,
    bodies.map((body, index) => ({
      messageId: ids?.[index] ?? randomUUID(),
      body: typeof body === 'string' ? body : JSON.stringify(body),
      receiveCount: 1,
    })),
  );
}

// ---- HTTP ---------------------------------------------------------------------------------------------

export const signedHeaders = (
  body: string,
  options: { secret?: string; at?: number; idempotencyKey?: string } = {},
): Record<string, string> => ({
  'content-type': 'application/json',
  'X-Remediate-Signature': signBody(
    options.secret ?? HTTP_SECRET,
    body,
    options.at ?? Math.floor(Date.now() / 1000),
    options.idempotencyKey,
  ),
  ...(options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {}),
});

/**
 * The HTTP trigger event of each platform for one request: the FC 3.0 HTTP trigger (body base64), the
 * SCF function URL event (plain body), the FunctionGraph APIG event (body base64, the APIG default).
 * Shapes follow test/fixtures/events/{alibaba/http-trigger-fc3,tencent/function-url,huawei/apig}.vendor.json.
 */
export function httpEvent(
  cloud: Cloud,
  body: string,
  headers: Record<string, string>,
  method = 'POST',
): unknown {
  const path = '/invoke';
  if (cloud === 'alibaba') return fcHttpEvent(method, path, headers, body);
  if (cloud === 'tencent') {
    return {
      body,
      headers: { ...headers, host: 'example.scf.tencentcs.com' },
      httpMethod: method,
      path,
      queryString: {},
    };
  }
  return {
    body: Buffer.from(body).toString('base64'),
    requestContext: { apiId: randomUUID(), requestId: randomUUID().replace(/-/g, ''), stage: 'RELEASE' },
    queryStringParameters: {},
    httpMethod: method,
    pathParameters: {},
    headers: { ...headers, host: 'example.apig.local', 'x-forwarded-proto': 'https' },
    path,
    isBase64Encoded: true,
  };
}

export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: { outcomes?: Outcome[]; error?: string };
  /** The keys of the platform's response object. */
  keys: string[];
}

/** Reads a platform's HTTP response object (all three use statusCode, headers, isBase64Encoded, body). */
export function readHttp(response: unknown): HttpAnswer {
  const r = response as {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
    isBase64Encoded: boolean;
  };
  if (r.isBase64Encoded !== false) throw new Error('the response must say isBase64Encoded: false');
  return {
    statusCode: r.statusCode,
    headers: r.headers,
    body: JSON.parse(r.body),
    keys: Object.keys(r).sort(),
  };
}
