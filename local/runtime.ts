import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CallRecord } from '../sandbox/calls';
import { loadSeed } from '../sandbox/seeds';
import { type Sandbox, startSandbox } from '../sandbox/server';
import type { Outcome } from '../shared/outcomes';
import { PROVIDERS, type Provider } from '../shared/requests';
import { LocalFunctions } from './functions';
import { auditEventFor, fcHttpEvent, queueBatchEvent } from './platform-events';
import { LocalQueue } from './queue';

const ASYNC_ATTEMPTS = 3;
const BATCH_SIZE = 10;
/** The FC service the Alibaba functions are deployed under in the sandbox. */
export const FC_SERVICE = 'remediate';

export interface Observation {
  trigger: 'audit-log' | 'queue-cleanup' | 'http-invoke';
  cloud: string;
  outcomes: Outcome[];
  error?: string;
}

export interface LocalRuntimeOptions {
  sandboxPort: number;
  httpPort: number;
  /** REMEDIATE_STATE of the functions. */
  state: string;
  rulesPath: string;
  /** The http-invoke signing secret; a random one when not given. */
  httpSecret?: string | undefined;
}

/**
 * The three functions behind local triggers, on one machine: the sandbox's attach calls feed the
 * audit-log functions as EventBridge / CTS would (asynchronously, retried on failure), one queue per cloud
 * feeds queue-cleanup with at-least-once delivery, and an HTTP server on 127.0.0.1 fronts http-invoke.
 */
export class LocalRuntime {
  readonly observations: Observation[] = [];
  readonly queues = Object.fromEntries(
    PROVIDERS.map((c) => [c, new LocalQueue(`${c}-remediate-queue`)]),
  ) as Record<Provider, LocalQueue>;
  private pending = 0;
  private http?: Server;
  private readonly listeners: ((observation: Observation) => void)[] = [];

  private constructor(
    readonly sandbox: Sandbox,
    readonly httpSecret: string,
    readonly functions: LocalFunctions,
  ) {}

  static async start(options: LocalRuntimeOptions): Promise<LocalRuntime> {
    const sandbox = await startSandbox({ port: options.sandboxPort, seed: loadSeed('demo') });
    const httpSecret = options.httpSecret ?? randomBytes(24).toString('hex');
    const functions = new LocalFunctions({
      REMEDIATE_ALIBABA_ENDPOINT: sandbox.url,
      REMEDIATE_TENCENT_ENDPOINT: sandbox.url,
      REMEDIATE_HUAWEI_ENDPOINT: sandbox.url,
      REMEDIATE_STATE: options.state,
      REMEDIATE_RULES: options.rulesPath,
      REMEDIATE_HTTP_SECRET: httpSecret,
    });
    const runtime = new LocalRuntime(sandbox, httpSecret, functions);
    // Opened now, so a bad state or rules setting fails the start, not the first delivery.
    await functions.runtime.store.countDeadLetters();
    sandbox.on('call', (call) => runtime.onSandboxCall(call));
    for (const name of LocalFunctions.FC_FUNCTION_NAMES) {
      sandbox.registerFunction(FC_SERVICE, name, (payload) => functions.fc(name, payload));
    }
    await runtime.listen(options.httpPort);
    return runtime;
  }

  /** Calls `listener` with every function result from now on (npm start prints the live ones). */
  onObservation(listener: (observation: Observation) => void): void {
    this.listeners.push(listener);
  }

  private observe(observation: Observation): void {
    this.observations.push(observation);
    for (const listener of this.listeners) listener(observation);
  }

  get httpUrl(): string {
    if (!this.http) throw new Error('the local HTTP server is not listening');
    return `http://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
  }

  /** Resolves once no delivery is in flight and every queue is empty. */
  async idle(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.pending > 0 || PROVIDERS.some((c) => this.queues[c].depth > 0)) {
      if (Date.now() > until) throw new Error('the local runtime did not settle in time');
      await this.drainQueues();
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
    await this.sandbox.stop();
    await this.functions.runtime.close();
  }

  private onSandboxCall(call: CallRecord): void {
    const event = auditEventFor(call);
    if (event === undefined) return;
    // EventBridge invokes asynchronously: the attach call's answer does not wait for the remediation.
    void this.deliver('audit-log', call.cloud, () => this.functions.auditLog(call.cloud, event));
  }

  /** One async delivery with the platform's retries; every attempt's result is observed. */
  private async deliver(
    trigger: Observation['trigger'],
    cloud: string,
    call: () => Promise<unknown>,
  ): Promise<boolean> {
    this.pending += 1;
    try {
      for (let attempt = 1; attempt <= ASYNC_ATTEMPTS; attempt++) {
        try {
          const result = (await call()) as { outcomes?: Outcome[] };
          this.observe({ trigger, cloud, outcomes: result.outcomes ?? [] });
          return true;
        } catch (error) {
          this.observe({ trigger, cloud, outcomes: [], error: (error as Error).message });
          await sleep(100 * attempt);
        }
      }
      return false;
    } finally {
      this.pending -= 1;
    }
  }

  private async drainQueues(): Promise<void> {
    for (const cloud of PROVIDERS) {
      const queue = this.queues[cloud];
      const batch = queue.receive(BATCH_SIZE);
      if (batch.length === 0) continue;
      const ids = batch.map((m) => m.messageId);
      this.pending += 1;
      try {
        const result = (await this.functions.queueCleanup(cloud, queueBatchEvent(cloud, batch))) as {
          outcomes?: Outcome[];
        };
        this.observe({ trigger: 'queue-cleanup', cloud, outcomes: result.outcomes ?? [] });
        queue.ack(ids);
      } catch (error) {
        // A failed batch is redelivered after its visibility timeout: settled messages are then no-ops.
        this.observe({
          trigger: 'queue-cleanup',
          cloud,
          outcomes: [],
          error: (error as Error).message,
        });
        queue.nack(ids);
      } finally {
        this.pending -= 1;
      }
    }
  }

  private listen(port: number): Promise<void> {
    this.http = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
        );
        const event = fcHttpEvent(
          req.method ?? 'GET',
          req.url ?? '/',
          headers,
          Buffer.concat(chunks).toString('utf8'),
        );
        const reply = (await this.functions.http(event)) as {
          statusCode: number;
          headers: Record<string, string>;
          body: string;
        };
        const parsed = JSON.parse(reply.body) as { outcomes?: Outcome[] };
        this.observe({ trigger: 'http-invoke', cloud: 'alibaba', outcomes: parsed.outcomes ?? [] });
        res.writeHead(reply.statusCode, reply.headers).end(reply.body);
      });
    });
    return new Promise((resolve, reject) => {
      this.http?.once('error', reject);
      this.http?.listen(port, '127.0.0.1', () => resolve());
    });
  }
}
