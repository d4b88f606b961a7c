import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { handleAdmin } from './admin';
import { type FcFunction, FunctionRegistry } from './alibaba/fc/registry';
import { CallLog, type CallRecord } from './calls';
import { ALL_CLOUDS, type Cloud } from './clouds';
import { SandboxApiError } from './errors';
import { type FaultConfig, FaultInjector, NO_FAULTS } from './faults';
import { keyLookupFor } from './key-lookup';
import { sandboxLogger } from './logger';
import { RateLimiter } from './rate-limiter';
import type { Dialect, HttpReply, KeyLookup, RawRequest } from './types';
import { DOCUMENTED_LIMITS, parseWorld, type World } from './world';

export const ADMIN_PREFIX = '/_sandbox/';
const MAX_BODY_BYTES = 1024 * 1024;
const DIALECTS: readonly Dialect[] = ALL_CLOUDS.flatMap((cloud) => cloud.dialects);

export interface SandboxOptions {
  port?: number;
  host?: string;
  seed: World;
  faults?: FaultConfig;
}

/** The sandbox cloud: state, keys, limits, faults and the call log behind one HTTP server. */
export class Sandbox extends EventEmitter<{ call: [CallRecord] }> {
  world: World;
  keys: KeyLookup;
  readonly calls = new CallLog();
  readonly faults: FaultInjector;
  readonly limiter: RateLimiter;
  /** Functions deployed to the sandbox's Function Compute; they survive `reset()`, like a deployment would. */
  readonly functions = new FunctionRegistry();
  private readonly initial: World;
  private readonly server: Server;
  private readonly pendingHangs = new Set<NodeJS.Timeout>();

  constructor(private readonly options: SandboxOptions) {
    super();
    this.initial = structuredClone(options.seed);
    this.world = structuredClone(options.seed);
    this.keys = keyLookupFor(this.world);
    this.limiter = new RateLimiter(this.limitsOf(this.world));
    this.faults = new FaultInjector(options.faults ?? NO_FAULTS);
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((error: unknown) => {
        sandboxLogger.error({ err: error }, 'sandbox failed to answer');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server.keepAliveTimeout = 5_000;
  }

  get url(): string {
    const address = this.server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve);
    });
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.pendingHangs) clearTimeout(timer);
    this.pendingHangs.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Replaces the whole world (validated); keys and limits follow it. */
  replaceWorld(input: unknown): void {
    this.world = parseWorld(input);
    this.keys = keyLookupFor(this.world);
    this.limiter.setLimits(this.limitsOf(this.world));
  }

  /**
   * Deploys a function to the sandbox's Function Compute (`POST /2016-08-15/services/{service}/functions/
   * {name}/invocations`, as @alicloud/fc2 invokes it); returns what undeploys it.
   */
  registerFunction(service: string, name: string, body: FcFunction): () => void {
    return this.functions.register(service, name, body);
  }

  /** Back to the seed it started with: state, calls, faults and rate-limit buckets. */
  reset(): void {
    this.replaceWorld(structuredClone(this.initial));
    this.calls.clear();
    this.faults.set(NO_FAULTS);
  }

  private limitsOf(world: World): Record<string, number> {
    return { ...DOCUMENTED_LIMITS, ...world.limits };
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { request, tooLarge } = await readRequest(req);
    if (request.rawPath.startsWith(ADMIN_PREFIX)) {
      const reply = await handleAdmin(this, request);
      return send(res, reply);
    }
    const dialect = DIALECTS.find((d) => d.recognizes(request));
    if (!dialect) {
      return send(res, {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'no cloud API recognised in this request' }),
      });
    }
    if (tooLarge) {
      return send(res, dialect.renderError(dialect.errors.malformed('request body too large'), randomUUID()));
    }
    await this.call(dialect, request, req, res);
  }

  private async call(dialect: Dialect, request: RawRequest, req: IncomingMessage, res: ServerResponse) {
    const requestId = randomUUID();
    const now = new Date();
    const action = dialect.actionOf(request);
    const api = dialect.apis.find((a) => a.action === action);
    const mutating = api?.mutating ?? false;
    const record: Omit<CallRecord, 'seq'> = {
      at: now.toISOString(),
      cloud: dialect.cloud as Cloud,
      action,
      account: '',
      accessKeyId: '',
      mutating,
      applied: false,
      httpStatus: 200,
      requestId,
      // Only calls that change the world need their parameters kept: they are what an audit trail records.
      params: mutating ? safeParams(dialect, request) : undefined,
    };
    let reply: HttpReply;
    try {
      const caller = dialect.authenticate(request, this.keys, now);
      record.account = caller.account;
      record.accessKeyId = caller.accessKeyId;
      if (!api) throw dialect.errors.unknownAction(action);
      if (caller.deny.includes(action) || caller.deny.includes('*'))
        throw dialect.permissionDenied(api, caller);
      if (!this.limiter.tryTake(dialect.cloud, action, caller.account, now.getTime()))
        throw dialect.errors.throttled();
      const fault = this.faults.decide(dialect.cloud as Cloud, action, mutating);
      if (fault.latencyMs > 0) await sleep(fault.latencyMs);
      // A concurrent-change refusal exists only for some writes; on any other call it is no fault.
      const concurrent =
        fault.kind === 'ConcurrentCallNotSupported' ? dialect.errors.concurrentCall?.(action) : undefined;
      if (fault.kind === 'ConcurrentCallNotSupported' && !concurrent) fault.kind = undefined;
      if (fault.kind) record.fault = fault.kind;
      if (fault.kind === 'drop') return this.finish(record, () => req.socket.destroy());
      if (fault.kind === 'hang') return this.finish(record, () => this.hang(req));
      if (fault.kind === '5xx') throw dialect.errors.serverError();
      if (fault.kind === 'throttle') throw dialect.errors.throttled();
      if (fault.kind === 'busy') throw dialect.errors.busy();
      if (concurrent) throw concurrent;
      const params = parseParams(dialect, api, request);
      const state = (this.world as Record<string, unknown>)[dialect.cloud];
      const body = await api.handle(params, { state, caller, requestId, now, functions: this.functions });
      record.applied = mutating;
      if (fault.kind === 'drop-after') return this.finish(record, () => req.socket.destroy());
      reply = dialect.renderSuccess(body, requestId);
    } catch (error) {
      const apiError = error instanceof SandboxApiError ? error : dialect.errors.internal();
      if (!(error instanceof SandboxApiError))
        sandboxLogger.error({ err: error, action }, 'operation crashed');
      record.code = apiError.code;
      reply = dialect.renderError(apiError, requestId);
    }
    record.httpStatus = reply.status;
    this.finish(record, () => send(res, reply));
  }

  private finish(record: Omit<CallRecord, 'seq'>, respond: () => void): void {
    const full = this.calls.add(record);
    if (sandboxLogger.isLevelEnabled('debug'))
      sandboxLogger.debug({ call: { ...full, params: undefined } }, 'call');
    this.emit('call', full);
    respond();
  }

  private hang(req: IncomingMessage): void {
    const timer = setTimeout(() => {
      this.pendingHangs.delete(timer);
      req.socket.destroy();
    }, this.faults.current.hangMs);
    this.pendingHangs.add(timer);
    req.socket.once('close', () => {
      clearTimeout(timer);
      this.pendingHangs.delete(timer);
    });
  }
}

/**
 * The API's schema refuses bad input with the vendor's own errors; a zod issue it raises instead (a field
 * the schema forgot to word) is still the caller's fault, answered as a malformed request, never a 500.
 */
function parseParams(dialect: Dialect, api: Dialect['apis'][number], request: RawRequest): unknown {
  try {
    return api.params.parse(dialect.input(request, api));
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    const issue = error.issues[0];
    throw dialect.errors.malformed(`${issue?.path.join('.') || 'parameters'}: ${issue?.message}`);
  }
}

function safeParams(dialect: Dialect, request: RawRequest): unknown {
  try {
    return dialect.paramsOf(request);
  } catch {
    return undefined;
  }
}

function readRequest(req: IncomingMessage): Promise<{ request: RawRequest; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep reading to drain the socket, but stop buffering past the cap.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const request = {
        method: req.method ?? 'GET',
        rawPath: q === -1 ? url : url.slice(0, q),
        rawQuery: q === -1 ? '' : url.slice(q + 1),
        headers: req.headers,
        body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
      };
      resolve({ request, tooLarge: size > MAX_BODY_BYTES });
    });
  });
}

function send(res: ServerResponse, reply: HttpReply): void {
  res.writeHead(reply.status, { 'content-length': Buffer.byteLength(reply.body), ...reply.headers });
  res.end(reply.body);
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  return new Sandbox(options).start();
}
