import type { Provider, RemediationRequest } from '../requests';

/**
 * What a vendor error means for remediation (docs/ARCHITECTURE.md, Error classes). Providers map codes to
 * classes with a table; the engine decides what to do with a class and never looks at vendor codes.
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

/** What a read of the truth found: the attachment (or policy) is there, is gone, or could not be read. */
export type Presence =
  | { state: 'present' }
  | { state: 'absent' }
  | { state: 'unknown'; error: ProviderError };

export const PRESENT: Presence = { state: 'present' };
export const ABSENT: Presence = { state: 'absent' };
export const presence = (present: boolean): Presence => (present ? PRESENT : ABSENT);

/** One remediation operation over one vendor SDK call (plus the list call that reads the truth). */
export interface ProviderOperation<R> {
  /** What a success does: a detach leaves the outcome `detached`, a delete `deleted`. */
  effect: 'detach' | 'delete';
  /** The cloud permissions the operation needs: least-privilege roles are generated from these. */
  permissions: readonly string[];
  execute(request: R, context: ProviderContext): Promise<CallResult>;
  /** Reads whether what the request removes is still there (dry-run, ambiguous errors, lost answers). */
  stillPresent(request: R, context: ProviderContext): Promise<Presence>;
  /**
   * A cascading operation (delete-policy with `cascade`): the detach requests that must succeed first. The
   * engine runs each as its own request (exemptions, breaker, limiter, idempotency, an outcome each).
   */
  cascadeDetaches?(
    request: R,
    context: ProviderContext,
  ): Promise<{ ok: true; requests: RemediationRequest[] } | { ok: false; error: ProviderError }>;
  /** Supports the `replace-with` last-policy strategy: a fallback policy keeps the target covered. */
  fallback?: OperationFallback<R>;
}

export interface OperationFallback<R> {
  attach(request: R, fallbackPolicyId: string, context: ProviderContext): Promise<CallResult>;
  detach(request: R, fallbackPolicyId: string, context: ProviderContext): Promise<CallResult>;
}

/** How to learn the cloud account a context's credentials act in, and how to read that call's errors. */
export interface CallerIdentity {
  ask(context: ProviderContext): Promise<string>;
  error(error: unknown): ProviderError;
}
