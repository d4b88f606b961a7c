/**
 * One function instance: the three queue-cleanup handlers (functions/queue-cleanup/<cloud>.ts, from
 * source) invoked as their platforms invoke them, with each platform's batch event and context.
 *
 * Usage: node --import tsx worker.ts '{"keys":{…},"timeoutMs":10000}' with REMEDIATE_* in the environment
 * (and the Tencent key in TENCENTCLOUD_*, where SCF puts it). Prints `{"ready":true}`, then reads one
 * batch per stdin line — `{"id","cloud","route","messages":[{messageId,body}]}` — runs batches
 * concurrently and prints `{"id","ok":true,"outcomes":[…]}` or `{"id","ok":false,"error"}` for each.
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { handler as alibabaQueue } from '../../functions/queue-cleanup/alibaba';
import { handler as huaweiQueue } from '../../functions/queue-cleanup/huawei';
import { main_handler as tencentQueue } from '../../functions/queue-cleanup/tencent';
import { queueBatchEvent } from '../../infra/local/platform-events';
import type { Outcome } from '../../shared/outcomes';
import { resetFunctionRuntime } from '../../shared/platform/function-runtime';
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

/** The handler context each platform passes, carrying the instance's temporary credentials. */
function contextFor(cloud: Cloud, key: SoakKey, timeoutMs: number): unknown {
  const started = Date.now();
  const requestId = randomUUID();
  if (cloud === 'alibaba') {
    return {
      requestId,
      credentials: { accessKeyId: key.accessKeyId, accessKeySecret: key.secret, securityToken: key.token },
      function: { name: 'queue-cleanup', handler: 'index.handler', memory: 256, timeout: timeoutMs / 1000 },
      region: 'local',
    };
  }
  if (cloud === 'tencent') {
    return {
      request_id: requestId,
      time_limit_in_ms: timeoutMs,
      getRemainingTimeInMillis: () => timeoutMs - (Date.now() - started),
    };
  }
  return {
    getSecurityAccessKey: () => key.accessKeyId,
    getSecuritySecretKey: () => key.secret,
    getSecurityToken: () => key.token,
    getRemainingTimeInMilliSeconds: () => timeoutMs - (Date.now() - started),
    getRunningTimeInSeconds: () => timeoutMs / 1000,
    getRequestID: () => requestId,
  };
}

async function run(args: WorkerArgs, command: BatchCommand): Promise<BatchReply> {
  const { id, cloud, route } = command;
  if (cloud === 'tencent' && route !== 'main')
    return { id, ok: false, error: 'SCF reads its key from the environment: one key per instance' };
  const event = queueBatchEvent(
    cloud,
    command.messages.map((m) => ({ ...m, receiveCount: 1 })),
  );
  const payload = cloud === 'alibaba' ? Buffer.from(JSON.stringify(event)) : event;
  try {
    const result = await HANDLERS[cloud](payload, contextFor(cloud, args.keys[route][cloud], args.timeoutMs));
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
    if (closed && running === 0) void resetFunctionRuntime().finally(() => process.exit(0));
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
