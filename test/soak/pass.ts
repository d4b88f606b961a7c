/**
 * One pass of the soak: worker instances draining a queue with platform delivery semantics (a failed
 * batch redelivered after a backoff, a lost one after the visibility time-out), SIGKILLed at random and
 * restarted, killed like a platform would when they outlive their time-out.
 */
import type { Outcome } from '../../shared/outcomes';
import type { SoakOptions } from './driver';
import { type LineSink, WorkerInstance } from './processes';
import type { Entry, SoakQueue } from './queue';
import type { BatchReply, WorkerArgs } from './worker';
import { mulberry32 } from './world';

const VISIBILITY_MS = 1_500;
const TICK_MS = 50;

export interface PassStats {
  copies: number;
  deliveries: number;
  batches: { sent: number; ok: number; failed: number; lost: number };
  /** Outcomes in acknowledged batches, per delivery. */
  replies: Partial<Record<Outcome['status'], number>>;
  duplicates: number;
  errors: Record<string, number>;
  kills: number;
  /** Instances killed by the platform for outliving their time-out. */
  timeouts: number;
  restarts: number;
  finished: boolean;
  durationMs: number;
}

export interface InstanceRecord {
  id: string;
  slot: string;
  startedAt: number;
  endedAt?: number;
  killedAt?: number;
}

export interface PassInput {
  name: string;
  queue: SoakQueue;
  slots: { slot: string; args: WorkerArgs; env: NodeJS.ProcessEnv }[];
  options: SoakOptions;
  deadline: number;
  sink: LineSink;
  progress: (line: string) => void;
}

/** Runs worker instances over the queue until it is empty (or the deadline), killing and restarting them. */
export function runPass(input: PassInput): Promise<{ stats: PassStats; instances: InstanceRecord[] }> {
  const { queue, options } = input;
  const batchSize = options.batchSize ?? 10;
  const perWorker = options.batchesPerWorker ?? 2;
  const random = mulberry32(options.seed ^ 0x4b111);
  const stats: PassStats = {
    copies: queue.depth,
    deliveries: 0,
    batches: { sent: 0, ok: 0, failed: 0, lost: 0 },
    replies: {},
    duplicates: 0,
    errors: {},
    kills: 0,
    timeouts: 0,
    restarts: 0,
    finished: false,
    durationMs: 0,
  };
  const started = Date.now();
  const all: WorkerInstance[] = [];
  const current = new Map<string, WorkerInstance>();
  let batchId = 0;
  let stopping = false;

  return new Promise((resolvePass) => {
    const start = (slot: (typeof input.slots)[number]) => {
      const generation = all.filter((i) => i.slot === slot.slot).length;
      const id = generation === 0 ? slot.slot : `${slot.slot}#${generation}`;
      const instance = new WorkerInstance(id, slot.slot, slot.args, slot.env, input.sink, () => pump());
      all.push(instance);
      current.set(slot.slot, instance);
      void instance.exited.then(() => {
        if (stopping) return;
        stats.restarts++;
        setTimeout(() => !stopping && start(slot), 100);
      });
    };

    const onReply = (batch: Entry[], reply: BatchReply | undefined) => {
      if (reply === undefined) {
        stats.batches.lost++;
        queue.nack(batch, VISIBILITY_MS);
      } else if (reply.ok) {
        stats.batches.ok++;
        queue.ack(batch);
        for (const outcome of reply.outcomes) {
          stats.replies[outcome.status] = (stats.replies[outcome.status] ?? 0) + 1;
          if (outcome.duplicate) stats.duplicates++;
        }
      } else {
        stats.batches.failed++;
        const name = /^(\w+):/.exec(reply.error)?.[1] ?? reply.error.slice(0, 60);
        stats.errors[name] = (stats.errors[name] ?? 0) + 1;
        const receives = Math.max(...batch.map((e) => e.receives));
        queue.nack(batch, Math.min(4_000, 250 * 2 ** (receives - 1)) * (0.5 + random()));
      }
      pump();
    };

    const pump = () => {
      if (stopping) return;
      if (queue.depth === 0) return void finish(true);
      if (Date.now() > input.deadline) return void finish(false);
      for (const instance of current.values()) {
        while (instance.ready && instance.killedAt === undefined && instance.inFlight.size < perWorker) {
          const batch = queue.receive(batchSize);
          const first = batch[0];
          if (!first) return;
          stats.batches.sent++;
          stats.deliveries += batch.length;
          const messages = batch.map((e) => ({ messageId: e.messageId, body: e.body }));
          instance.send({ id: ++batchId, cloud: first.cloud, route: first.route, messages }, (reply) =>
            onReply(batch, reply),
          );
        }
      }
    };

    // The platform kills an instance that outlives its time-out (plus a little for process scheduling):
    // the handler answers 1.5 s before its deadline, so one that does not has a call without a time-out.
    const watchdog = setInterval(() => {
      const late = Date.now() - options.timeoutMs - 2_000;
      for (const instance of current.values()) {
        if ([...instance.inFlight.values()].some((b) => b.sentAt < late) && instance.killedAt === undefined) {
          stats.timeouts++;
          instance.kill();
        }
      }
      pump();
    }, TICK_MS);

    let killTimer: NodeJS.Timeout | undefined;
    const scheduleKill = () => {
      if (stats.kills >= options.kills.max) return;
      const wait = options.kills.minMs + random() * (options.kills.maxMs - options.kills.minMs);
      killTimer = setTimeout(() => {
        const alive = [...current.values()].filter((i) => i.ready && i.killedAt === undefined);
        const busy = alive.filter((i) => i.inFlight.size > 0);
        const pool = busy.length > 0 ? busy : alive;
        const victim = pool[Math.floor(random() * pool.length)];
        if (victim && !stopping) {
          stats.kills++;
          victim.kill();
        }
        scheduleKill();
      }, wait);
    };
    scheduleKill();

    const report = setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      input.progress(
        `${input.name} ${seconds}s: ${queue.depth} copies to go, ${stats.deliveries} deliveries, ` +
          `${stats.batches.failed} failed and ${stats.batches.lost} lost batches, ${stats.kills} kills`,
      );
    }, 15_000);

    const finish = async (finished: boolean) => {
      stopping = true;
      clearInterval(watchdog);
      clearInterval(report);
      clearTimeout(killTimer);
      await Promise.all([...current.values()].map((i) => i.close()));
      stats.finished = finished;
      stats.durationMs = Date.now() - started;
      const instances = all.map((i) => ({
        id: i.id,
        slot: i.slot,
        startedAt: i.startedAt,
        ...(i.endedAt !== undefined ? { endedAt: i.endedAt } : {}),
        ...(i.killedAt !== undefined ? { killedAt: i.killedAt } : {}),
      }));
      resolvePass({ stats, instances });
    };

    for (const slot of input.slots) start(slot);
  });
}
