import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { FunctionRegistry } from './alibaba/fc/registry';
import type { CommonErrors, SandboxApiError } from './errors';

/** An HTTP request as read off the wire, before any vendor interpretation. */
export interface RawRequest {
  method: string;
  /** Path exactly as sent (still percent-encoded), without the query. */
  rawPath: string;
  /** Query string exactly as sent, without the leading '?'. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Who signed the request: the key that verified and the account it belongs to. */
export interface Caller {
  /** The cloud's name in clouds.ts (`alibaba`, `tencent`, …). */
  cloud: string;
  accessKeyId: string;
  account: string;
  /** Actions this key is refused (to reproduce permission errors). */
  deny: readonly string[];
  temporary: boolean;
}

/** What an API's handler gets besides its parsed parameters. */
export interface ApiContext<S> {
  /** The caller's cloud's part of the world (`world[cloud]`): the handler reads and changes only this. */
  state: S;
  caller: Caller;
  requestId: string;
  now: Date;
  /** The functions deployed to the sandbox's Function Compute (alibaba/fc/); absent where none can be. */
  functions?: FunctionRegistry;
}

/**
 * One vendor API, declared once, in the same shape in every cloud: how it is found, what it is called,
 * whether it changes the world, its parameters and what it does. Parsing is the schema's job and runs
 * before the handler, so a handler never sees unchecked input and only applies the call to the state.
 */
export interface Api<S = unknown, Z extends z.ZodType = z.ZodType> {
  /** The vendor's operation name (`DetachPolicy`): what the call log, faults, limits and deny lists say. */
  action: string;
  /**
   * REST dialects (Huawei IAM, Function Compute) route by `METHOD /path/{name}`; `{name}` segments reach
   * the schema as path parameters. RPC dialects (Alibaba, Tencent) route by `action` and leave it out.
   */
  path?: string;
  /** The permission the vendor checks for this call (RAM/CAM/IAM action), named in an access denial. */
  permission: string;
  mutating: boolean;
  /** Requests per second per account the vendor documents for this API, if it documents one. */
  rateLimit?: number;
  /**
   * Reads what the dialect hands over (`Dialect.input`) into the handler's parameters; refuses bad input
   * by throwing the vendor's error, field by field in the order the shape lists them.
   */
  params: Z;
  /** Applies the call and returns the success body (or a promise of it, for calls that run user code). */
  handle(params: z.output<Z>, context: ApiContext<S>): unknown;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One wire protocol of a cloud: how to recognise, authenticate, route and answer its calls. */
export interface Dialect<S = unknown> {
  /** The cloud whose state and keys the calls use. */
  cloud: string;
  /** Every API this protocol serves (the services' lists, e.g. `huawei/iam/index.ts`). */
  apis: readonly Api<S>[];
  recognizes(request: RawRequest): boolean;
  /** The API name used for routing, counting and rate limits (e.g. `DetachPolicy`). */
  actionOf(request: RawRequest): string;
  /** Verifies the signature and any security token; throws the vendor's auth error. */
  authenticate(request: RawRequest, keys: KeyLookup, now: Date): Caller;
  /** What `api.params` parses: the request's parameters as this protocol carries them. */
  input(request: RawRequest, api: Api<S>): unknown;
  /** The call's parameters as an audit trail would record them (never credentials). */
  paramsOf(request: RawRequest): unknown;
  errors: CommonErrors;
  /** The vendor's answer to a caller key that is denied this API. */
  permissionDenied(api: Api<S>, caller: Caller): SandboxApiError;
  renderSuccess(body: unknown, requestId: string): HttpReply;
  renderError(error: SandboxApiError, requestId: string): HttpReply;
}

export interface SandboxKey {
  cloud: string;
  accessKeyId: string;
  secret: string;
  account: string;
  /** Present for temporary (STS) credentials: requests must carry exactly this token. */
  token?: string | undefined;
  deny: string[];
}

export type KeyLookup = (cloud: string, accessKeyId: string) => SandboxKey | undefined;

/** Every cloud's state has the account the default `sandbox` key belongs to. */
export interface CloudState {
  defaultAccount: string;
}

/** One cloud of the sandbox: its state in the world, its wire protocols and how to summarise it. */
export interface SandboxCloud<
  N extends string = string,
  Z extends z.ZodType<CloudState> = z.ZodType<CloudState>,
> {
  name: N;
  /** The cloud's part of the seed file and of the world (`world[name]`). */
  state: Z;
  /** The state of `emptyWorld()`: the default account and nothing in it. */
  empty: z.input<Z>;
  /** Tried in order, after the earlier clouds' dialects, until one recognises the request. */
  dialects: readonly Dialect<z.output<Z>>[];
  /** A few readable lines of what the state holds (`remediate sandbox` prints them). */
  summarize(state: z.output<Z>): string[];
}
