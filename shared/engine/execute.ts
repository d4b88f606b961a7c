import type { Outcome, OutcomeStatus } from '../outcomes';
import { type OperationRegistry, operationFor } from '../providers/operations';
import type {
  CallResult,
  ErrorClass,
  ProviderContext,
  ProviderError,
  ProviderOperation,
} from '../providers/types';
import { operationOf, type Provider, type RemediationRequest, targetOf } from '../requests';
import { type Clock, realClock } from './clock';
import { DEAD_LETTER_BY_CLASS, hintFor } from './dead-letters';
import { type LastPolicyStrategy, replaceThenDetach } from './last-policy';
import type { Paced } from './rate-limiter';
import { type AttemptResult, type RetryPolicy, retry } from './retry';

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
  clock?: Clock;
  /** Makes each mutating call through the rate limiter (undefined: no turn before the deadline). */
  paced?: Paced;
}

/**
 * Carries one validated request to exactly one outcome: dry-run reads only; otherwise the provider call
 * with retries by error class, the truth read for ambiguous errors, the last-policy strategy, and a
 * dead-letter reason for what no retry can fix.
 */
export async function executeRequest(request: RemediationRequest, options: ExecuteOptions): Promise<Outcome> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const base = { operation: operationOf(request), target: targetOf(request) };
  const finish = (fields: Omit<Outcome, 'operation' | 'target' | 'durationMs'>): Outcome => ({
    ...base,
    ...fields,
    durationMs: clock.now() - started,
  });
  const operation = operationFor(options.operations, request);
  if (!operation) {
    return finish({
      status: 'dead-lettered',
      reason: 'invalid-input',
      hint: notCarried(request),
      attempts: 0,
    });
  }
  const context = options.contextFor(request.provider);
  if (request.dryRun) return finish(await dryRun(operation, request, context));

  const calls = new Calls(operation, request, context, options);
  const run = await retry(() => calls.attempt(), {
    deadline: options.deadline,
    policies: options.retryPolicies,
    clock,
  });

  const result = run.value;
  if (result.ok) {
    const status: OutcomeStatus = operation.effect === 'delete' ? 'deleted' : 'detached';
    const replacedWith = calls.replacedWith ?? calls.fallbackTried;
    return finish({ status, attempts: run.attempts, ...(replacedWith ? { replacedWith } : {}) });
  }
  const error = result.error;
  if (error.errorClass === 'already-gone')
    return finish({
      status: 'already-compliant',
      attempts: run.attempts,
      error: outcomeError(error),
      ...(error.missing ? { missing: error.missing } : {}),
      ...(calls.fallbackTried ? { replacedWith: calls.fallbackTried } : {}),
    });
  if (run.stoppedBy === 'deadline' && options.onPlatform && isRetryable(error.errorClass)) {
    return finish({ status: 'retry-later', attempts: run.attempts, error: outcomeError(error) });
  }
  const reason = DEAD_LETTER_BY_CLASS[error.errorClass] ?? 'unknown-error';
  // A lost answer may hide a call that landed, the failures since then keeping the retries from finding
  // out: read the truth once before giving up, so what is already compliant is never dead-lettered.
  if (reason === 'retry-budget-exhausted' && calls.answerLost) {
    const read = await operation.stillPresent(request, context);
    if (read.state === 'absent')
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

/** A dry run reads the truth and says what a real run would do; it never changes anything. */
async function dryRun(
  operation: ProviderOperation<RemediationRequest>,
  request: RemediationRequest,
  context: ProviderContext,
): Promise<Omit<Outcome, 'operation' | 'target' | 'durationMs'>> {
  const read = await operation.stillPresent(request, context);
  const would = operation.effect === 'delete' ? 'delete the policy' : 'detach the policy';
  const hint =
    read.state === 'unknown'
      ? `dry-run: would ${would} (could not read the current state: ${read.error.code})`
      : read.state === 'present'
        ? `dry-run: would ${would}`
        : 'dry-run: already compliant, nothing to do';
  return { status: 'skipped', hint, attempts: 0 };
}

/** The calls of one request, attempt by attempt, and what they have shown so far. */
class Calls {
  /** An attempt's answer was lost (a reset or a time-out, no HTTP status): its call may have landed. */
  answerLost = false;
  /**
   * The fallback the last-policy strategy tried: when that attempt's answers were lost, a later plain
   * detach succeeds (or finds the policy gone) only because the fallback landed, so it is still reported.
   */
  fallbackTried: string | undefined;
  replacedWith: string | undefined;
  private readonly paced: Paced;

  constructor(
    private readonly operation: ProviderOperation<RemediationRequest>,
    private readonly request: RemediationRequest,
    private readonly context: ProviderContext,
    private readonly options: ExecuteOptions,
  ) {
    this.paced = options.paced ?? ((call) => call());
  }

  async attempt(): Promise<AttemptResult<CallResult>> {
    const { operation, request, context } = this;
    const result = await this.paced(() => operation.execute(request, context));
    if (!result) return { done: false, errorClass: 'transient', value: this.noSlot() };
    if (result.ok) return { done: true, value: result };
    const error = result.error;
    if (error.httpStatus === undefined) this.answerLost = true;
    if (error.errorClass === 'already-gone') return { done: true, value: result };
    if (error.errorClass === 'ambiguous') {
      const read = await operation.stillPresent(request, context);
      if (read.state === 'absent')
        return { done: true, value: { ok: false, error: { ...error, errorClass: 'already-gone' } } };
      // The truth could not be read for a transient reason (a 5xx, a reset): nothing is known yet, so
      // the attempt failed transiently and is retried or redelivered, not dead-lettered as unknown.
      if (read.state === 'unknown' && read.error.errorClass === 'transient')
        return { done: false, errorClass: 'transient', value: { ok: false, error: read.error } };
    }
    const strategy = this.options.lastPolicy?.[request.provider];
    if (error.errorClass === 'last-policy' && typeof strategy === 'object' && operation.fallback) {
      this.fallbackTried = strategy.replaceWith;
      const replaced = await replaceThenDetach(
        operation,
        operation.fallback,
        request,
        strategy.replaceWith,
        context,
        this.paced,
        this.noSlot(),
      );
      if (!replaced.ok) return { done: false, errorClass: replaced.error.errorClass, value: replaced };
      this.replacedWith = strategy.replaceWith;
      return { done: true, value: replaced };
    }
    return { done: false, errorClass: error.errorClass, value: result };
  }

  /** No send slot under the rate limit before the deadline: a transient failure of the attempt. */
  private noSlot(): CallResult {
    const error: ProviderError = {
      provider: this.request.provider,
      errorClass: 'transient',
      code: 'RateLimitWait',
      message: `no ${operationOf(this.request)} send slot under the rate limit before the deadline`,
    };
    return { ok: false, error };
  }
}

/** Why a request for a cloud this deployment does not carry (an HTTP order to the wrong function) is refused. */
export function notCarried(request: RemediationRequest): string {
  return `${operationOf(request)} is not in this deployment (a function carries only its own cloud's operations)`;
}

function isRetryable(errorClass: ErrorClass): boolean {
  return (
    errorClass === 'transient' ||
    errorClass === 'resource-group-status' ||
    errorClass === 'conflict' ||
    errorClass === 'ambiguous'
  );
}

export function outcomeError(error: ProviderError): NonNullable<Outcome['error']> {
  return {
    provider: error.provider,
    code: error.code,
    httpStatus: error.httpStatus,
    message: error.message,
    requestId: error.requestId,
  };
}
