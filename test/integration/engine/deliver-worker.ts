/**
 * A process that delivers requests through its own Engine, as one function instance would, and the driver
 * the tests (and bench/limiter.ts) use to run several of them.
 *
 * Worker usage: node --import tsx deliver-worker.ts '{"spec":"sqlite:/tmp/x.db","url":"http://127.0.0.1:4600"}'
 * It opens the store, prints `{"ready":true}`, then reads one command per stdin line (a DeliverCommand as
 * JSON), delivers all of its deliveries at once, prints one `{"tag","eventId","outcome"}` line per delivery
 * as it settles and `{"done":tag}` when all have. It exits when stdin closes.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseRules } from '../../../shared/config/load-rules';
import { EMPTY_RULES } from '../../../shared/config/rules';
import type { Delivery } from '../../../shared/engine/delivery';
import { Engine } from '../../../shared/engine/engine';
import { logger } from '../../../shared/logger';
import type { Outcome } from '../../../shared/outcomes';
import { ALL_CLOUDS } from '../../../shared/providers/all';
import type { Credentials } from '../../../shared/providers/types';
import { parseRequest } from '../../../shared/requests';
import { openStateStore } from '../../../shared/state/open';
import { RedisStore } from '../../../shared/state/redis';
import type { StateStore } from '../../../shared/state/types';
import { FAST_RETRIES, sandboxOptions } from '../../helpers/engine';

export interface WorkerOptions {
  /** A REMEDIATE_STATE spec: sqlite:PATH or redis://… */
  spec: string;
  /** Redis only: the run's key prefix. */
  keyPrefix?: string;
  /** The sandbox every provider is pointed at, with the default sandbox/sandbox-secret key. */
  url: string;
  /** The production retry policies instead of the tests' short ones. */
  productionRetries?: boolean;
  /** A rules file (YAML text) instead of none. */
  rules?: string;
  /** The key this process signs with instead of the default sandbox key. */
  credentials?: Credentials;
}

export interface DeliverCommand {
  tag: string;
  deliveries: { eventId: string; request: unknown }[];
  /** Each delivery's deadline from when the command arrives; the claim lease is min(15 min, this). */
  deadlineMs: number;
  onPlatform?: boolean;
}

export type WorkerLine =
  | { ready: true }
  | { tag: string; eventId: string; outcome: Outcome }
  | { tag: string; eventId: string; error: string }
  | { done: string };

function openStore(options: WorkerOptions): StateStore {
  return options.spec.startsWith('redis')
    ? new RedisStore({ url: options.spec, keyPrefix: options.keyPrefix })
    : openStateStore(options.spec);
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '') as WorkerOptions;
  const store = openStore(options);
  await store.countDeadLetters(); // connected (or migrated) before the first command
  const context = sandboxOptions(options.url, {}, options.credentials).contextFor('alibaba');
  const engine = new Engine({
    clouds: ALL_CLOUDS,
    store,
    rules: options.rules === undefined ? EMPTY_RULES : parseRules(options.rules, 'worker rules'),
    logger,
    dryRun: false,
    retryPolicies: options.productionRetries ? undefined : FAST_RETRIES,
  });
  const print = (line: WorkerLine): void => {
    process.stdout.write(`${JSON.stringify(line)}\n`);
  };
  print({ ready: true });

  const running = new Set<Promise<void>>();
  for await (const text of createInterface({ input: process.stdin })) {
    if (!text.trim()) continue;
    const command = JSON.parse(text) as DeliverCommand;
    const deadline = Date.now() + command.deadlineMs;
    const all = Promise.all(
      command.deliveries.map(async ({ eventId, request }) => {
        const delivery: Delivery = {
          trigger: 'queue',
          eventId,
          explicit: true,
          deadline,
          context,
          onPlatform: command.onPlatform ?? true,
        };
        try {
          const parsed = parseRequest(request);
          if (!parsed.ok) throw new Error(`invalid request: ${parsed.field} ${parsed.rule}`);
          print({ tag: command.tag, eventId, outcome: await engine.handle(parsed.request, delivery) });
        } catch (error) {
          print({ tag: command.tag, eventId, error: error instanceof Error ? error.message : String(error) });
        }
      }),
    ).then(() => print({ done: command.tag }));
    running.add(all);
    void all.finally(() => running.delete(all));
  }
  await Promise.all(running);
  await store.close();
}

/** One worker process seen from the test (or bench) process. */
export interface Deliverer {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once the worker has opened its store. */
  ready: Promise<void>;
  /** Sends a command; resolves with its outcome lines once the worker says it is done. */
  deliver(command: DeliverCommand): Promise<Extract<WorkerLine, { tag: string }>[]>;
  /** Every line printed so far (a killed worker's partial output). */
  lines: WorkerLine[];
  /** The exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** Closes stdin and waits for a clean exit. */
  close(): Promise<void>;
}

const WORKER = resolve(__dirname, 'deliver-worker.ts');
const ROOT = resolve(__dirname, '../../..');

export function startDeliverer(options: WorkerOptions, env: NodeJS.ProcessEnv = {}): Deliverer {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(options)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const lines: WorkerLine[] = [];
  const waiting = new Map<string, (lines: Extract<WorkerLine, { tag: string }>[]) => void>();
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolvePromise) => {
    markReady = resolvePromise;
  });
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: WorkerLine;
    try {
      line = JSON.parse(text) as WorkerLine;
    } catch {
      return; // not ours (a library writing to stdout)
    }
    lines.push(line);
    if ('ready' in line) markReady();
    if ('done' in line)
      waiting.get(line.done)?.(
        lines.filter((l): l is Extract<WorkerLine, { tag: string }> => 'tag' in l && l.tag === line.done),
      );
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) =>
    child.on('exit', (code, signal) => resolvePromise({ code, signal })),
  );
  const failure = (what: string) =>
    exited.then(({ code, signal }) => {
      throw new Error(`deliver worker exited (${signal ?? code}) ${what}: ${stderr}`);
    });
  const readyOrFail = Promise.race([ready, failure('before it was ready')]);
  readyOrFail.catch(() => undefined);
  return {
    child,
    ready: readyOrFail,
    lines,
    exited,
    stderr: () => stderr,
    deliver(command) {
      const done = new Promise<Extract<WorkerLine, { tag: string }>[]>((resolvePromise) =>
        waiting.set(command.tag, resolvePromise),
      );
      child.stdin.write(`${JSON.stringify(command)}\n`);
      return Promise.race([done, failure(`during command ${command.tag}`)]);
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const { code, signal } = await exited;
      if (code !== 0) throw new Error(`deliver worker exited (${signal ?? code}): ${stderr}`);
    },
  };
}

/** Kills what is still running (a failed or hung worker must not outlive its test); only our own children. */
export function stopDeliverers(deliverers: readonly Deliverer[]): void {
  for (const { child } of deliverers) if (child.exitCode === null && child.signalCode === null) child.kill();
}

if (process.argv[1] && resolve(process.argv[1]) === WORKER) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
