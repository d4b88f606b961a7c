import type { Provider, RemediationRequest } from '../requests';

/**
 * What a vendor error means for remediation (DESIGN §2). Providers map codes to classes with a table;
 * the engine decides what to do with a class and never looks at vendor codes.
 */
export const ERROR_CLASSES = [
  'already-gone',
  'transient',
  // The slow transient states: a resource group being created or deleted; a concurrent change (409).
  'resource-group-status',
  'conflict',
  'last-policy',
  'delete-conflict',
  'permission',
  'invalid-input',
  'policy-type-disabled',
  'permanent',
  'ambiguous',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export interface ProviderError {
  provider: Provider;
  errorClass: ErrorClass;
  code: string;
  httpStatus?: number | undefined;
  message: string;
  requestId?: string | undefined;
  /** What a person should do, where the vendor code says more than its class (e.g. Huawei PAP5.0046). */
  hint?: string | undefined;
  /** With `already-gone`: what the request names that does not exist (see Outcome.missing). */
  missing?: string | undefined;
}

export type CallResult = { ok: true; requestId?: string | undefined } | { ok: false; error: ProviderError };

/** Long-lived or temporary (STS) credentials, from the platform context or the environment. */
export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | undefined;
}

/** One HTTP call never waits longer than this, so a hung endpoint still leaves time to retry. */
export const CALL_TIMEOUT_MS = 10_000;

export interface ProviderContext {
  credentials: Credentials;
  /** Full URL with scheme (plain HTTP allowed, for the sandbox); the vendor's public endpoint when absent. */
  endpoint?: string | undefined;
  /** Time-out of one HTTP call. */
  timeoutMs: number;
  /** The cloud account the credentials act in, when the platform says it (else asked of the cloud). */
  account?: string | undefined;
}

export interface ReadResult {
  ok: boolean;
  /** Whether the attachment (or policy) still exists; meaningful only when ok. */
  present: boolean;
  error?: ProviderError;
}

/** One remediation operation over one vendor SDK call (plus the list call that reads the truth). */
export interface ProviderOperation<R> {
  /** The cloud permissions the operation needs: least-privilege roles are generated from these. */
  permissions: readonly string[];
  execute(request: R, context: ProviderContext): Promise<CallResult>;
  /** Reads whether what the request removes is still there, for errors whose meaning is ambiguous. */
  stillPresent(request: R, context: ProviderContext): Promise<ReadResult>;
  /**
   * A cascading operation (delete-policy with `cascade`): the detach requests that must succeed first. The
   * engine runs each as its own request (exemptions, breaker, limiter, idempotency, an outcome each).
   */
  cascadeDetaches?(
    request: R,
    context: ProviderContext,
  ): Promise<{ ok: true; requests: RemediationRequest[] } | { ok: false; error: ProviderError }>;
}

/** An operation that supports the `replace-with` last-policy strategy: the fallback keeps the target covered. */
export interface ReplaceableOperation<R> extends ProviderOperation<R> {
  attachFallback(request: R, fallbackPolicyId: string, context: ProviderContext): Promise<CallResult>;
  detachFallback(request: R, fallbackPolicyId: string, context: ProviderContext): Promise<CallResult>;
}

/** How to learn the cloud account a context's credentials act in, and how to read that call's errors. */
export interface CallerIdentity {
  ask(context: ProviderContext): Promise<string>;
  error(error: unknown): ProviderError;
}
