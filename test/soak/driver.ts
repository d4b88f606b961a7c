/**
 * The soak driver: the sandbox in its own process with faults on, worker processes running the three
 * queue-cleanup functions over one shared state store, each request delivered 1–3 times at least once,
 * workers SIGKILLed at random and restarted, failed and lost batches redelivered until all settled; a
 * dry-run pass first. Answers the raw facts (calls, outcomes, dead letters, final world, processes);
 * check.ts judges them.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { queueBatchEvent } from '../../local/platform-events';
import type { CallCounts, CallRecord } from '../../sandbox/calls';
import { parseWorld, type World } from '../../sandbox/world';
import { idempotencyKey } from '../../shared/engine/idempotency';
import { parseAlibabaQueue } from '../../shared/events/alibaba/mns';
import { parseHuaweiQueue } from '../../shared/events/huawei/queue';
import { parseTencentQueue } from '../../shared/events/tencent/queue';
import type { Outcome } from '../../shared/outcomes';
import { parseRequest } from '../../shared/requests';
import { openStateStore } from '../../shared/state/open';
import type { StateStore, StoredDeadLetter } from '../../shared/state/types';
import { type AdversarialFacts, runAdversarial } from './adversarial';
import { OutputSink } from './output';
import { type InstanceRecord, type PassStats, runPass } from './pass';
import { cleanEnvironment, startSandboxProcess } from './processes';
import { type Entry, SoakQueue } from './queue';
import type { WorkerArgs } from './worker';
import { type Cloud, generateSoakWorld, mulberry32, type SoakCase, type SoakKey, shuffle } from './world';

export interface SoakOptions {
  requests: number;
  workers: number;
  /** REMEDIATE_STATE shared by every worker: sqlite:PATH or redis://… */
  state: string;
  /** The sandbox's fault spec (sandbox/faults.ts). */
  faults: string;
  /** The platform's function time-out (the engine's deadline and claim lease follow from it). */
  timeoutMs: number;
  /** SIGKILL a random worker every minMs–maxMs, at most `max` times. */
  kills: { minMs: number; maxMs: number; max: number };
  /** Requests of the dry-run pass, half with REMEDIATE_DRY_RUN, half with `"dryRun": true` (0: none). */
  dryRunRequests: number;
  /** Past it the driver stops redelivering: whatever is not settled counts as lost. */
  maxDurationMs: number;
  seed: number;
  /** Where the world, the rules file, the calls and every process's output are written. */
  dir: string;
  /** Requests per adversarial phase (label games, STS key rotation) and the breaker of the rotation. */
  adversarial: { requests: number; breaker: number };
  batchSize?: number;
  batchesPerWorker?: number;
  progress?: (line: string) => void;
}

export interface SoakFacts {
  options: Omit<SoakOptions, 'progress'>;
  cases: SoakCase[];
  /** Per case: the event id the engine sees and the idempotency key it claims. */
  identities: { eventId: string; key: string }[];
  keys: Record<string, Record<Cloud, SoakKey>>;
  durationMs: number;
  main: PassStats;
  /** The two dry-run passes (REMEDIATE_DRY_RUN, and the requests' own flag) and their mutating calls. */
  dry: { environment: PassStats; flag: PassStats; requests: number; mutatingCalls: number };
  instances: InstanceRecord[];
  /** Main-pass calls as the sandbox logged them (its log keeps the last 100,000), and its counters. */
  calls: CallRecord[];
  callTotals: CallCounts;
  finalWorld: World;
  /** Per case: the stored outcome, or how the key was found when it has none. */
  stored: ({ kind: 'completed'; outcome: Outcome } | { kind: 'unsettled'; detail: string })[];
  deadLetters: StoredDeadLetter[];
  /** Per engine event id: the instances that logged a settled outcome for it. */
  settledBy: Map<string, Set<string>>;
  log: { file: string; lines: number; warn: number; error: number };
  secretHits: { source: string; excerpt: string }[];
  adversarial: AdversarialFacts;
}

/** ≈20 % of calls fail transiently: server errors, throttling, resets before and after the call lands, hangs. */
export const SOAK_FAULTS = '5xx=0.08,throttle=0.06,drop=0.03,drop-after=0.01,hang=0.02';

export async function runSoak(options: SoakOptions): Promise<SoakFacts> {
  const startedAt = Date.now();
  const progress = options.progress ?? (() => undefined);
  mkdirSync(options.dir, { recursive: true });
  const runId = randomBytes(4).toString('hex');
  const planted = randomBytes(12).toString('hex');
  const slots = Array.from({ length: options.workers }, (_, i) => `w${i}`);
  const generated = generateSoakWorld({
    requests: options.requests,
    workers: [...slots, 'd0', 'd1'],
    seed: options.seed,
    runId,
    planted,
  });
  const worldPath = join(options.dir, 'world.json');
  const rulesPath = join(options.dir, 'rules.json');
  writeFileSync(worldPath, JSON.stringify(generated.world));
  // Explicit orders need no rule; the breaker must not cap a 10,000-request soak at 50 actions.
  writeFileSync(rulesPath, JSON.stringify({ version: 1, breaker: { maxActions: 1_000_000, window: '10m' } }));
  const identities = generated.cases.map(identityOf);

  const output = new OutputSink(join(options.dir, 'output.log'), planted);
  const store = await openStore(options.state);
  const sandbox = await startSandboxProcess(worldPath, output.sink).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const admin = adminClient(sandbox.url);
  const slot = (name: string, dryRun: boolean, rules = rulesPath) => {
    const key = generated.keys[name]?.tencent as SoakKey;
    const args: WorkerArgs = {
      keys: {
        main: generated.keys[name] as Record<Cloud, SoakKey>,
        denied: generated.keys.denied as Record<Cloud, SoakKey>,
      },
      timeoutMs: options.timeoutMs,
    };
    const env = cleanEnvironment({
      REMEDIATE_ALIBABA_ENDPOINT: sandbox.url,
      REMEDIATE_TENCENT_ENDPOINT: sandbox.url,
      REMEDIATE_HUAWEI_ENDPOINT: sandbox.url,
      REMEDIATE_STATE: options.state,
      REMEDIATE_RULES: rules,
      REMEDIATE_DRY_RUN: dryRun ? 'true' : '',
      LOG_LEVEL: 'info',
      // SCF hands the execution role's key over in the environment.
      TENCENTCLOUD_SECRETID: key.accessKeyId,
      TENCENTCLOUD_SECRETKEY: key.secret,
      TENCENTCLOUD_SESSIONTOKEN: key.token,
    });
    return { slot: name, args, env };
  };
  const deadline = startedAt + options.maxDurationMs;
  const pass = { options, deadline, sink: output.sink, progress };
  try {
    await admin('PUT', 'faults', { spec: options.faults });

    // Dry run, with the faults on: one instance with REMEDIATE_DRY_RUN and plain requests, one without it
    // and requests carrying `"dryRun": true`. Neither may make a single mutating call.
    const dryCases = generated.cases.slice(0, Math.min(options.dryRunRequests, generated.cases.length));
    const [byEnvironment, byFlag] = [new SoakQueue(), new SoakQueue()];
    dryCases.forEach((c, i) => {
      const request = {
        ...c.request,
        eventId: `dry-${c.request.eventId}`,
        ...(i % 2 ? { dryRun: true } : {}),
      };
      const entry = {
        ...c,
        caseIndex: c.index,
        messageId: `dry-${c.messageId}`,
        body: JSON.stringify(request),
      };
      (i % 2 ? byFlag : byEnvironment).send(entry);
    });
    progress(`dry-run pass: ${dryCases.length} requests`);
    const before = await admin<CallCounts>('GET', 'calls/count');
    const noKills = { ...options, kills: { ...options.kills, max: 0 } };
    const [environment, flag] = await Promise.all([
      runPass({
        ...pass,
        options: noKills,
        name: 'dry-run',
        queue: byEnvironment,
        slots: [slot('d0', true)],
      }),
      runPass({ ...pass, options: noKills, name: 'dry-run', queue: byFlag, slots: [slot('d1', false)] }),
    ]);
    const after = await admin<CallCounts>('GET', 'calls/count');
    const dry = {
      environment: environment.stats,
      flag: flag.stats,
      requests: dryCases.length,
      mutatingCalls: after.mutating - before.mutating,
    };
    await admin('DELETE', 'calls');
    await admin('PUT', 'faults', { spec: options.faults });

    // The soak: every request 1–3 times, in random order, so some copies run concurrently.
    const random = mulberry32(options.seed ^ 0x5eed);
    const entries: Omit<Entry, 'visibleAt' | 'receives'>[] = [];
    for (const c of generated.cases) {
      const body = JSON.stringify(c.request);
      const copies = 1 + Math.floor(random() * 3);
      for (let i = 0; i < copies; i++)
        entries.push({ caseIndex: c.index, messageId: c.messageId, body, cloud: c.cloud, route: c.route });
    }
    const queue = new SoakQueue();
    for (const entry of shuffle(entries, random)) queue.send(entry);
    progress(
      `soak: ${generated.cases.length} requests, ${entries.length} copies, ${options.workers} workers`,
    );
    const main = await runPass({
      ...pass,
      name: 'soak',
      queue,
      slots: slots.map((name) => slot(name, false)),
    });

    progress('collecting calls, outcomes and dead letters');
    const { calls } = await admin<{ calls: CallRecord[] }>('GET', 'calls');
    const callTotals = await admin<CallCounts>('GET', 'calls/count');
    writeFileSync(
      join(options.dir, 'calls.json'),
      JSON.stringify(calls.filter((c) => c.mutating || c.fault)),
    );
    const finalWorld = parseWorld(await admin('GET', 'state'));
    const stored = await storedOutcomes(store, identities);
    const deadLetters = await store.listDeadLetters(1_000_000);
    for (const letter of deadLetters) output.scan(JSON.stringify(letter), 'dead letter');
    for (const entry of stored) output.scan(JSON.stringify(entry), 'stored outcome');

    progress('adversarial phases: label games, exempt cascades, STS key rotation, concurrent redrives');
    await admin('PUT', 'state', generated.world);
    await admin('DELETE', 'faults');
    await admin('DELETE', 'calls');
    await store.clear();
    const main0 = generated.keys.w0 as Record<Cloud, SoakKey>;
    const adversarial = await runAdversarial({
      cases: generated.cases,
      ...options.adversarial,
      store,
      admin,
      pass: (name, queue, keyNames, rules) =>
        runPass({
          ...pass,
          // Its own bound: the main pass may have used the whole run's.
          deadline: Date.now() + 120_000,
          options: { ...options, kills: { ...options.kills, max: 0 } },
          name,
          queue,
          slots: keyNames.map((key) => slot(key, false, rules)),
        }),
      cliEnv: (rules) =>
        cleanEnvironment({
          REMEDIATE_ALIBABA_ENDPOINT: sandbox.url,
          REMEDIATE_TENCENT_ENDPOINT: sandbox.url,
          REMEDIATE_HUAWEI_ENDPOINT: sandbox.url,
          REMEDIATE_STATE: options.state,
          REMEDIATE_RULES: rules,
          LOG_LEVEL: 'info',
          ALIBABA_CLOUD_ACCESS_KEY_ID: main0.alibaba.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: main0.alibaba.secret,
          ALIBABA_CLOUD_SECURITY_TOKEN: main0.alibaba.token,
        }),
      dir: options.dir,
      sink: output.sink,
    });
    return {
      options: withoutProgress(options),
      cases: generated.cases,
      identities,
      keys: generated.keys,
      durationMs: Date.now() - startedAt,
      main: main.stats,
      dry,
      instances: main.instances,
      calls,
      callTotals,
      finalWorld,
      stored,
      deadLetters,
      settledBy: output.settledBy,
      log: output.summary(),
      secretHits: output.hits,
      adversarial,
    };
  } finally {
    await sandbox.stop();
    if (store.kind === 'redis') await store.clear().catch(() => undefined);
    await store.close();
    await output.close();
  }
}

function withoutProgress({ progress: _progress, ...options }: SoakOptions): Omit<SoakOptions, 'progress'> {
  return options;
}

/** The shared store, emptied; a Redis that is not there is said plainly. */
async function openStore(spec: string): Promise<StateStore> {
  const store = openStateStore(spec);
  try {
    await store.clear();
    return store;
  } catch (error) {
    await store.close();
    const hint = store.kind === 'redis' ? ': start redis-server, or pass --state sqlite:PATH' : '';
    throw new Error(`the state store ${spec} cannot be used${hint} (${(error as Error).message})`);
  }
}

/** Each key's stored outcome: the checker's claim on a settled key answers it; on any other, says so. */
async function storedOutcomes(
  store: StateStore,
  identities: { key: string }[],
): Promise<SoakFacts['stored']> {
  const stored: SoakFacts['stored'] = [];
  for (let i = 0; i < identities.length; i += 200) {
    const chunk = identities.slice(i, i + 200);
    const claims = await Promise.all(
      chunk.map(({ key }) => store.claim(key, 'soak-checker', 1_000, Date.now())),
    );
    for (const claim of claims) {
      stored.push(
        claim.kind === 'completed'
          ? { kind: 'completed', outcome: claim.outcome as Outcome }
          : { kind: 'unsettled', detail: claim.kind === 'claimed' ? 'no record' : 'claim held' },
      );
    }
  }
  return stored;
}

/** The event id the queue function gives the engine, and the key the engine claims, as its parser makes them. */
function identityOf(c: SoakCase): { eventId: string; key: string } {
  const message = { messageId: c.messageId, body: JSON.stringify(c.request), receiveCount: 1 };
  const event = queueBatchEvent(c.cloud, [message]);
  const parsed =
    c.cloud === 'alibaba'
      ? parseAlibabaQueue(event)
      : c.cloud === 'tencent'
        ? parseTencentQueue(event)
        : parseHuaweiQueue(event);
  const eventId = `queue:${parsed[0]?.messageId}`;
  const request = parseRequest(c.request);
  if (!request.ok) throw new Error(`generated an invalid request: ${request.field} ${request.rule}`);
  return { eventId, key: idempotencyKey(eventId, request.request) };
}

function adminClient(url: string) {
  return async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}/_sandbox/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    if (!response.ok)
      throw new Error(`sandbox admin ${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
}
