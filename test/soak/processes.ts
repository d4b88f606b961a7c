/**
 * Child-process plumbing for the soak: the sandbox and the worker instances, every output line of theirs
 * handed to one sink (which files it, scans it for the planted secret and reads the engine's log lines).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { BatchCommand, BatchReply, WorkerArgs } from './worker';

const ROOT = resolve(__dirname, '../..');
const WORKER = join(__dirname, 'worker.ts');
const SANDBOX = join(__dirname, 'sandbox-process.ts');

export type LineSink = (instance: string, stream: 'stdout' | 'stderr', line: string) => void;

/** The environment of a child: the caller's, without any ambient cloud credentials or remediate settings. */
export function cleanEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(ALIBABA_CLOUD_|TENCENTCLOUD_|HUAWEICLOUD_|REMEDIATE_|LOG_LEVEL$|DEBUG$)/.test(name),
    ),
  );
  return { ...clean, ...extra };
}

function tsx(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env });
  // Writing to a child just killed fails with EPIPE: the exit handler deals with what was lost.
  child.stdin.on('error', () => undefined);
  return child;
}

function lines(
  child: ChildProcessWithoutNullStreams,
  stream: 'stdout' | 'stderr',
  each: (line: string) => void,
) {
  createInterface({ input: child[stream] }).on('line', each);
}

export interface SandboxProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startSandboxProcess(worldPath: string, sink: LineSink): Promise<SandboxProcess> {
  const child = tsx(SANDBOX, [worldPath], cleanEnvironment({ LOG_LEVEL: 'warn' }));
  lines(child, 'stderr', (line) => sink('sandbox', 'stderr', line));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((ready, failed) => {
    lines(child, 'stdout', (line) => {
      const url = /^\{"url":"([^"]+)"\}$/.exec(line)?.[1];
      if (url) ready(url);
      else sink('sandbox', 'stdout', line);
    });
    child.once('exit', (code) => failed(new Error(`the sandbox process exited (${code}) before listening`)));
  });
  return {
    url,
    stop: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One worker process: one function instance with its own key. */
export class WorkerInstance {
  readonly child: ChildProcessWithoutNullStreams;
  readonly startedAt = Date.now();
  endedAt?: number;
  killedAt?: number;
  ready = false;
  readonly inFlight = new Map<number, { sentAt: number; onReply: (reply: BatchReply | undefined) => void }>();
  readonly exited: Promise<void>;

  constructor(
    /** `w0`, `w0#2`, …: the slot and its generation. */
    readonly id: string,
    /** The key name the instance signs with (its slot). */
    readonly slot: string,
    args: WorkerArgs,
    env: NodeJS.ProcessEnv,
    sink: LineSink,
    onReady: () => void,
  ) {
    this.child = tsx(WORKER, [JSON.stringify(args)], env);
    lines(this.child, 'stderr', (line) => sink(id, 'stderr', line));
    lines(this.child, 'stdout', (line) => {
      sink(id, 'stdout', line);
      if (!line.startsWith('{')) return;
      const message = JSON.parse(line) as BatchReply | { ready: true };
      if ('ready' in message) {
        this.ready = true;
        onReady();
        return;
      }
      const waiting = this.inFlight.get(message.id);
      this.inFlight.delete(message.id);
      waiting?.onReply(message);
    });
    this.exited = new Promise((done) =>
      this.child.once('exit', () => {
        this.endedAt = Date.now();
        this.ready = false;
        // Whatever was in flight is lost with the instance: the platform redelivers it.
        for (const [id, waiting] of this.inFlight) {
          this.inFlight.delete(id);
          waiting.onReply(undefined);
        }
        done();
      }),
    );
  }

  get alive(): boolean {
    return this.endedAt === undefined;
  }

  send(command: BatchCommand, onReply: (reply: BatchReply | undefined) => void): void {
    this.inFlight.set(command.id, { sentAt: Date.now(), onReply });
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  kill(): void {
    if (!this.alive || this.killedAt !== undefined) return;
    this.killedAt = Date.now();
    this.child.kill('SIGKILL');
  }

  /** No more batches: finishes what it has, closes its store, exits. */
  async close(): Promise<void> {
    if (!this.alive) return;
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}
