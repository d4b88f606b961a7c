import type { IncomingHttpHeaders } from 'node:http';
import type { FunctionRegistry } from './alibaba/fc/registry';
import type { CommonErrors, SandboxApiError } from './errors';
import type { World } from './world';

export const CLOUDS = ['alibaba', 'tencent', 'huawei'] as const;
export type Cloud = (typeof CLOUDS)[number];

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
  cloud: Cloud;
  accessKeyId: string;
  account: string;
  /** Actions this key is refused (to reproduce permission errors). */
  deny: readonly string[];
  temporary: boolean;
}

export interface OperationContext {
  world: World;
  caller: Caller;
  requestId: string;
  now: Date;
  /** The functions deployed to the sandbox's Function Compute (fc/); absent where none can be. */
  functions?: FunctionRegistry;
}

export interface Operation {
  mutating: boolean;
  /**
   * Parses the vendor parameters, applies the call to the world and returns the success body (or a promise
   * of it, for calls that run user code, such as Function Compute's InvokeFunction).
   */
  handle(request: RawRequest, context: OperationContext): unknown;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One cloud's wire protocol: how to recognise, authenticate, route and answer its calls. */
export interface Dialect {
  cloud: Cloud;
  recognizes(request: RawRequest): boolean;
  /** The API name used for routing, counting and rate limits (e.g. `DetachPolicy`). */
  actionOf(request: RawRequest): string;
  /** Verifies the signature and any security token; throws the vendor's auth error. */
  authenticate(request: RawRequest, keys: KeyLookup, now: Date): Caller;
  /** The call's parameters as an audit trail would record them (never credentials). */
  paramsOf(request: RawRequest): unknown;
  operations: Readonly<Record<string, Operation>>;
  errors: CommonErrors;
  /** The vendor's answer to a caller key that is denied this action. */
  permissionDenied(action: string, caller: Caller): SandboxApiError;
  renderSuccess(body: unknown, requestId: string): HttpReply;
  renderError(error: SandboxApiError, requestId: string): HttpReply;
}

export interface SandboxKey {
  cloud: Cloud;
  accessKeyId: string;
  secret: string;
  account: string;
  /** Present for temporary (STS) credentials: requests must carry exactly this token. */
  token?: string | undefined;
  deny: string[];
}

export type KeyLookup = (cloud: Cloud, accessKeyId: string) => SandboxKey | undefined;
