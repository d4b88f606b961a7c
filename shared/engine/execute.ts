import type { DeadLetterReason, Outcome, OutcomeStatus } from '../outcomes';
import { type OperationRegistry, operationFor } from '../providers/operations';
import type {
  CallResult,
  ErrorClass,
  ProviderContext,
  ProviderError,
  ReplaceableOperation,
} from '../providers/types';
import { operationOf, type Provider, type RemediationRequest, targetOf } from '../requests';
import { type AttemptResult, type RetryClock, type RetryPolicy, retry } from './retry';

export type LastPolicyStrategy = 'dead-letter' | { replaceWith: string };

export interface ExecuteOptions {
  /** The operations this deployment carries (one cloud's in a function bundle). */
  operations: OperationRegistry;
  contextFor(provider: Provider): ProviderContext;
  /** Epoch ms by which the request must be settled. */
  deadline: number;
  /** On a platform the event is redelivered, so transient failures at the deadline end `retry-later`. */
  onPlatform: boolean;
  lastPolicy?: Partial<Record<Provider, LastPolicyStrategy>>;
  retryPolicies?: Partial<Record<ErrorClass, RetryPolicy>>;
  clock?: RetryClock;
  /** Waits for the rate limiter before each mutating call; false when no slot comes before the deadline. */
  beforeCall?: () => Promise<boolean>;
}

export const DEAD_LETTER_BY_CLASS: Readonly<Partial<Record<ErrorClass, DeadLetterReason>>> = {
  'last-policy': 'last-policy',
  'resource-group-status': 'resource-group-status',
  conflict: 'conflict',
  'delete-conflict': 'attached-elsewhere',
  permission: 'permission',
  'invalid-input': 'invalid-input',
  'policy-type-disabled': 'policy-type-disabled',
  permanent: 'unknown-error',
  ambiguous: 'unknown-error',
  transient: 'retry-budget-exhausted',
};

/**
 * Carries one validated request to exactly one outcome: dry-run reads only; otherwise the provider call
 * with retries by error class, the truth read for ambiguous errors, the last-policy strategy, and a
 * dead-letter reason for what no retry can fix.
 */
export async function executeRequest(request: RemediationRequest, options: ExecuteOptions): Promise<Outcome> {
  const started = Date.now();
  const base = { operation: operationOf(request), target: targetOf(request) };
  const finish = (fields: Omit<Outcome, 'operation' | 'target' | 'durationMs'>): Outcome => ({
    ...base,
    ...fields,
    durationMs: Date.now() - started,
  });
  const operation = operationFor(options.operations, request);
  if (!operation) {
    const hint = `${base.operation} is not in this deployment (a function carries only its own cloud's operations)`;
    return finish({ status: 'dead-lettered', reason: 'invalid-input', hint, attempts: 0 });
  }
  const context = options.contextFor(request.provider);

  if (request.dryRun) {
    const read = await operation.stillPresent(request, context);
    const hint = !read.ok
      ? `dry-run: would ${verb(request)} (could not read the current state: ${read.error?.code})`
      : read.present
        ? `dry-run: would ${verb(request)}`
        : 'dry-run: already compliant, nothing to do';
    return finish({ status: 'skipped', hint, attempts: 0 });
  }

  let replacedWith: string | undefined;
  // Set once the strategy has tried its fallback: when that attempt's answers were lost, a later plain
  // detach succeeds (or finds the policy gone) only because the fallback landed, so it is still reported.
  let fallbackTried: string | undefined;
  // Set when an attempt's answer was lost (a reset or a time-out, no HTTP status): its call may have landed.
  let answerLost = false;
  const run = await retry<CallResult>(
    async (): Promise<AttemptResult<CallResult>> => {
      if (options.beforeCall && !(await options.beforeCall())) {
        return { done: false, errorClass: 'transient', value: { ok: false, error: rateLimitWait(request) } };
      }
      const result = await operation.execute(request, context);
      if (result.ok) return { done: true, value: result };
      const error = result.error;
      if (error.httpStatus === undefined) answerLost = true;
      if (error.errorClass === 'already-gone') return { done: true, value: result };
      if (error.errorClass === 'ambiguous') {
        const read = await operation.stillPresent(request, context);
        if (read.ok && !read.present)
          return { done: true, value: { ok: false, error: { ...error, errorClass: 'already-gone' } } };
        // The truth could not be read for a transient reason (a 5xx, a reset): nothing is known yet, so
        // the attempt failed transiently and is retried or redelivered, not dead-lettered as unknown.
        if (read.error?.errorClass === 'transient')
          return { done: false, errorClass: 'transient', value: { ok: false, error: read.error } };
      }
      const strategy = options.lastPolicy?.[request.provider];
      if (
        error.errorClass === 'last-policy' &&
        typeof strategy === 'object' &&
        'attachFallback' in operation
      ) {
        fallbackTried = strategy.replaceWith;
        const replaced = await replaceThenDetach(
          operation as ReplaceableOperation<RemediationRequest>,
          request,
          strategy.replaceWith,
          context,
          options.beforeCall,
        );
        if (replaced.ok) replacedWith = strategy.replaceWith;
        if (replaced.ok) return { done: true, value: replaced };
        return { done: false, errorClass: replaced.error.errorClass, value: replaced };
      }
      return { done: false, errorClass: error.errorClass, value: result };
    },
    { deadline: options.deadline, policies: options.retryPolicies, clock: options.clock },
  );

  const result = run.value;
  if (result.ok) {
    const status: OutcomeStatus = request.operation === 'delete-policy' ? 'deleted' : 'detached';
    replacedWith ??= fallbackTried;
    return finish({ status, attempts: run.attempts, ...(replacedWith ? { replacedWith } : {}) });
  }
  const error = result.error;
  if (error.errorClass === 'already-gone')
    return finish({
      status: 'already-compliant',
      attempts: run.attempts,
      error: outcomeError(error),
      ...(error.missing ? { missing: error.missing } : {}),
      ...(fallbackTried ? { replacedWith: fallbackTried } : {}),
    });
  if (run.stoppedBy === 'deadline' && options.onPlatform && isRetryable(error.errorClass)) {
    return finish({ status: 'retry-later', attempts: run.attempts, error: outcomeError(error) });
  }
  const reason = DEAD_LETTER_BY_CLASS[error.errorClass] ?? 'unknown-error';
  // A lost answer may hide a call that landed, the failures since then keeping the retries from finding
  // out: read the truth once before giving up, so what is already compliant is never dead-lettered.
  if (reason === 'retry-budget-exhausted' && answerLost) {
    const read = await operation.stillPresent(request, context);
    if (read.ok && !read.present)
      return finish({ status: 'already-compliant', attempts: run.attempts, error: outcomeError(error) });
  }
  return finish({
    status: 'dead-lettered',
    reason,
    // A provider's own hint (a code whose remedy its class does not say) wins over the class's.
    hint: error.hint ?? hintFor(reason, error, operation.permissions),
    attempts: run.attempts,
    error: outcomeError(error),
  });
}

/** `replace-with`: attach the fallback, detach the policy; if that fails, take the fallback off again. */
async function replaceThenDetach(
  operation: ReplaceableOperation<RemediationRequest>,
  request: RemediationRequest,
  fallback: string,
  context: ProviderContext,
  beforeCall?: () => Promise<boolean>,
): Promise<CallResult> {
  const attached = await operation.attachFallback(request, fallback, context);
  // "Not found" from the attach is about the fallback policy, not the attachment being removed: the
  // target still holds its last policy, so this must not read as already-compliant.
  if (!attached.ok && attached.error.errorClass === 'already-gone')
    return { ok: false, error: { ...attached.error, errorClass: 'last-policy' } };
  if (!attached.ok) return attached;
  // The detach and the rollback are calls of the rate-limited operation too: each waits for its slot.
  const detached: CallResult =
    beforeCall && !(await beforeCall())
      ? { ok: false, error: rateLimitWait(request) }
      : await operation.execute(request, context);
  if (detached.ok || detached.error.errorClass === 'already-gone') return detached;
  await beforeCall?.();
  await operation.detachFallback(request, fallback, context);
  return detached;
}

function rateLimitWait(request: RemediationRequest): ProviderError {
  return {
    provider: request.provider,
    errorClass: 'transient',
    code: 'RateLimitWait',
    message: `no ${operationOf(request)} send slot under the rate limit before the deadline`,
  };
}

function isRetryable(errorClass: ErrorClass): boolean {
  return (
    errorClass === 'transient' ||
    errorClass === 'resource-group-status' ||
    errorClass === 'conflict' ||
    errorClass === 'ambiguous'
  );
}

function verb(request: RemediationRequest): string {
  return request.operation === 'delete-policy' ? 'delete the policy' : 'detach the policy';
}

function outcomeError(error: ProviderError) {
  return {
    provider: error.provider,
    code: error.code,
    httpStatus: error.httpStatus,
    message: error.message,
    requestId: error.requestId,
  };
}

function hintFor(reason: DeadLetterReason, error: ProviderError, permissions: readonly string[]): string {
  switch (reason) {
    case 'permission':
      return `the credentials were refused (${error.code}); they need ${permissions.join(', ')}`;
    case 'last-policy':
      return 'the target would be left with no policy: configure lastPolicy.replaceWith for this cloud, or detach by hand';
    case 'resource-group-status':
      return 'the resource group is being created or deleted; redrive once it settles';
    case 'conflict':
      return 'the resource was being changed concurrently; redrive later';
    case 'attached-elsewhere':
      return 'the policy is still attached or has non-default versions; use cascade to clear them first';
    case 'policy-type-disabled':
      return 'the policy type is not enabled in the organization, so nothing of that type can be attached';
    case 'invalid-input':
      return `the cloud refused the parameters: ${error.message}`;
    case 'retry-budget-exhausted':
      return `still failing (${error.code}) when the time budget ran out; redrive later`;
    default:
      return `unexpected error ${error.code}: ${error.message}`;
  }
}
