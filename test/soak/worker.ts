/**
 * One function instance: the three queue-cleanup handlers (functions/queue-cleanup/<cloud>.ts, from
 * source) invoked as their platforms invoke them, with each platform's batch event and context.
 *
 * Usage: node --import tsx worker.ts '{"keys":{…},"timeoutMs":10000}' with REMEDIATE_* in the environment
 * (and the Tencent key in TENCENTCLOUD_*, where SCF puts it). Prints `{"ready":true}`, then reads one
 * batch per stdin line — `{"id","cloud","route","messages":[{messageId,body}]}` — runs batches
 * concurrently and prints `{"id","ok":true,"outcomes":[…]}` or `{"id","ok":false,"error"}` for each.
 */
import { createInterface } from 'node:readline';
import { handler as alibabaQueue } from '../../functions/queue-cleanup/alibaba';
import { handler as huaweiQueue } from '../../functions/queue-cleanup/huawei';
import { main_handler as tencentQueue } from '../../functions/queue-cleanup/tencent';
import { processRuntime } from '../../functions/runtime';
import { queueBatchEvent } from '../../local/platform-events';
import type { Outcome } from '../../shared/outcomes';
import { PLATFORMS } from '../../shared/platform/all';
import type { Cloud, Route, SoakKey } from './world';

export interface WorkerArgs {
  /** The keys of this instance, by route, per cloud (Tencent's comes from the environment, as on SCF). */
  keys: Record<Route, Record<Cloud, SoakKey>>;
  /** The platform's function time-out. */
  timeoutMs: number;
}

export interface BatchCommand {
  id: number;
  cloud: Cloud;
  route: Route;
  messages: { messageId: string; body: string }[];
}

export type BatchReply =
  | { id: number; ok: true; outcomes: Pick<Outcome, 'status' | 'reason' | 'duplicate'>[] }
  | { id: number; ok: false; error: string };

type Handler = (event: unknown, context: unknown) => Promise<{ outcomes: Outcome[] }>;
const HANDLERS: Record<Cloud, Handler> = {
  alibaba: alibabaQueue as Handler,
  tencent: tencentQueue as Handler,
  huawei: huaweiQueue as Handler,
};

async function run(args: WorkerArgs, command: BatchCommand): Promise<BatchReply> {
  const { id, cloud, route } = command;
  if (cloud === 'tencent' && route !== 'main')
    return { id, ok: false, error: 'SCF reads its key from the environment: one key per instance' };
  const event = queueBatchEvent(
    cloud,
    command.messages.map((m) => ({ ...m, receiveCount: 1 })),
  );
  const key = args.keys[route][cloud];
  // SCF's key is already in this process's environment (TENCENTCLOUD_*), where SCF puts it.
  const call = PLATFORMS[cloud].fake(event, {
    credentials: { accessKeyId: key.accessKeyId, accessKeySecret: key.secret, securityToken: key.token },
    timeoutMs: args.timeoutMs,
  });
  try {
    const result = await HANDLERS[cloud](call.event, call.context);
    const outcomes = result.outcomes.map(({ status, reason, duplicate }) => ({ status, reason, duplicate }));
    return { id, ok: true, outcomes };
  } catch (error) {
    return {
      id,
      ok: false,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

function main(): void {
  const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
  const lines = createInterface({ input: process.stdin });
  let running = 0;
  let closed = false;
  // stdin closed: finish what is running, close the store, leave.
  const leaveWhenIdle = () => {
    if (closed && running === 0) void processRuntime.close().finally(() => process.exit(0));
  };
  lines.on('line', (line) => {
    if (!line.trim()) return;
    running++;
    void run(args, JSON.parse(line) as BatchCommand).then((reply) => {
      process.stdout.write(`${JSON.stringify(reply)}\n`);
      running--;
      leaveWhenIdle();
    });
  });
  lines.on('close', () => {
    closed = true;
    leaveWhenIdle();
  });
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
}

main();
