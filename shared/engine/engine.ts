import { createHash, randomUUID } from 'node:crypto';
import type { RulesFile } from '../config/rules';
import { contentText, keptForDeadLetter, MAX_DEPTH, nestsDeeperThan } from '../events/common';
import type { Logger } from '../logger';
import type { DeadLetterReason, Outcome } from '../outcomes';
import { type AccountOf, callerAccounts } from '../providers/caller-identity';
import { type Cloud, operationsOf } from '../providers/cloud';
import { type OperationRegistry, operationFor } from '../providers/operations';
import type { ErrorClass, ProviderContext, ProviderError } from '../providers/types';
import { operationOf, type Provider, parseRequest, type RemediationRequest, targetOf } from '../requests';
import type { StateStore } from '../state/types';
import { buildDeadLetter, type DeadLetter, type DeadLetterFacts } from './dead-letter';
import { DEAD_LETTER_BY_CLASS, type ExecuteOptions, executeRequest } from './execute';
import { idempotencyKey } from './idempotency-key';
import { rateLimitGate } from './rate-limiter';
import { type RetryClock, type RetryPolicy, retry } from './retry';
import { activeExemption, expiredExemptions, selectRule } from './rules';

export const SOURCES = ['audit-log', 'queue', 'http', 'cli', 'redrive'] as const;
export type Source = (typeof SOURCES)[number];

/** How one request arrived: who must settle it, by when, under which budget. */
export interface Delivery {
  source: Source;
  /** The triggering event's id (audit event, queue message, HTTP idempotency key, bulk line). */
  eventId: string;
  /** Explicit orders (queue, HTTP, CLI) need no rule; audit events act only where a rule selects them. */
  explicit: boolean;
  /** Epoch ms by which the request must be settled. */
  deadline: number;
  /**
   * How this delivery's requests reach the cloud: the credentials (the function role's, the CLI's), the
   * endpoint, the account when the platform says it, the time-out of one call.
   */
  context: ProviderContext;
  /** On a platform the event is redelivered, so what is still transient at the deadline is `retry-later`. */
  onPlatform: boolean;
  /** A redrive keeps the dead letter it came from (and its idempotency key). */
  redriveOf?: DeadLetter;
  /** A detach a cascade makes: the rule (or order) that selected the cascade covers it. */
  cascadeOf?: string;
}

export interface EngineConfig {
  /** The clouds this deployment reaches: their operations and caller identities (no SDK is imported here). */
  clouds: readonly Cloud[];
  store: StateStore;
  rules: RulesFile;
  logger: Logger;
  /** REMEDIATE_DRY_RUN: every request is read-only. */
  dryRun: boolean;
  retryPolicies?: Partial<Record<ErrorClass, RetryPolicy>>;
  clock?: RetryClock;
  /**
   * One run's cap (`run --max N`): at most this many mutating calls through this engine, in this process.
   * It only tightens the rules file's breaker; past it, requests are dead-lettered `circuit-open`.
   */
  maxActions?: number;
  /** The cloud account the credentials act in (the platform's word or the cloud's caller identity). */
  accountOf?: AccountOf;
}

/** The engine's options, as callers name them. */
export type EngineOptions = EngineConfig;

const COMPLETED_TTL_MS = 7 * 24 * 3_600_000;
const MAX_LEASE_MS = 15 * 60_000;

const toHint = (parsed: ReturnType<typeof parseRequest>) =>
  parsed.ok ? parsed : ({ ok: false, hint: `${parsed.field}: ${parsed.rule}` } as const);

/**
 * The one path every request takes, whatever triggered it (DESIGN §1): rules and exemptions →
 * idempotency claim → circuit breaker → rate limiter → provider call with retries → exactly one outcome,
 * stored, dead-lettered where no retry can fix it, and logged as one line.
 */
export class Engine {
  private readonly owner = randomUUID();
  /** Mutating calls this engine has made (for the per-run cap). */
  private runActions = 0;
  private readonly operations: OperationRegistry;
  private readonly accountOf: AccountOf;

  /** REMEDIATE_DRY_RUN: every request only reads, and nothing is recorded. */
  get dryRun(): boolean {
    return this.config.dryRun;
  }

  constructor(private readonly config: EngineConfig) {
    this.operations = operationsOf(config.clouds);
    this.accountOf = config.accountOf ?? callerAccounts(config.clouds);
    for (const exemption of expiredExemptions(config.rules, new Date())) {
      config.logger.warn({ exemption }, 'ignoring an expired exemption');
    }
  }

  /**
   * Unvalidated input (a queue message, an HTTP body item, a bulk line): invalid input is dead-lettered.
   * `refused` is a caller's verdict that the input can never become a request (a queue record without its
   * id, an audit event naming no target): it is dead-lettered with that hint (and reason) as it is.
   */
  async handleInput(
    input: unknown,
    delivery: Delivery,
    refused?: { hint: string; reason?: DeadLetterReason },
  ): Promise<Outcome> {
    // Queue bodies and bulk lines that are not JSON arrive wrapped as { invalidJson } by their parsers.
    const notJson = typeof input === 'object' && input !== null && 'invalidJson' in input;
    // Checked before anything walks it recursively (zod, JSON.stringify), which deep JSON would overflow.
    const tooDeep = !refused && nestsDeeperThan(input);
    const parsed = refused
      ? ({ ok: false, hint: refused.hint } as const)
      : tooDeep
        ? ({
            ok: false,
            hint: `body: nests deeper than ${MAX_DEPTH} levels, the most a request may`,
          } as const)
        : notJson
          ? ({ ok: false, hint: 'body: is not valid JSON' } as const)
          : toHint(parseRequest(input));
    if (parsed.ok) return this.handle(parsed.request, delivery);
    const started = Date.now();
    const kept = keptForDeadLetter(input);
    const key = createHash('sha256')
      .update(delivery.eventId)
      .update('\n')
      .update(contentText(kept))
      .digest('hex');
    const outcome: Outcome = {
      status: 'dead-lettered',
      reason: refused?.reason ?? 'invalid-input',
      operation: 'invalid',
      target: '-',
      hint: parsed.hint,
      attempts: 0,
      durationMs: 0,
    };
    const settled = await this.settleOnce(key, delivery, outcome, () =>
      this.deadLetter(outcome, { ...this.facts(outcome, delivery, key, started, []), request: kept }),
    );
    this.log(settled, delivery, key);
    return settled;
  }

  async handle(request: RemediationRequest, delivery: Delivery): Promise<Outcome> {
    const started = Date.now();
    const key = delivery.redriveOf?.idempotencyKey ?? idempotencyKey(delivery.eventId, request);
    const outcome = await this.decide(request, delivery, key, started);
    this.log(outcome, delivery, key, request.provider);
    return outcome;
  }

  private async decide(
    request: RemediationRequest,
    delivery: Delivery,
    key: string,
    started: number,
  ): Promise<Outcome> {
    const skip = (status: Outcome['status'], hint: string): Outcome => ({
      status,
      operation: operationOf(request),
      target: targetOf(request),
      hint,
      attempts: 0,
      durationMs: Date.now() - started,
    });
    const now = new Date();
    if (!delivery.explicit && delivery.cascadeOf === undefined && !selectRule(this.config.rules, request))
      return skip('skipped', 'no rule selects this request');
    const exemption = activeExemption(this.config.rules, request, now);
    if (exemption)
      return skip(
        'skipped',
        `exempt until ${exemption.expires}: ${exemption.reason} (owner ${exemption.owner})`,
      );

    const { context } = delivery;
    // Read-only and never recorded: a later real delivery of the same event must still act.
    if (request.dryRun || this.config.dryRun)
      return executeRequest({ ...request, dryRun: true }, this.executeOptions(request, delivery, undefined));

    const identity = { operation: operationOf(request), target: targetOf(request) };
    return this.settleOnce(key, delivery, identity, async () => {
      const secrets = [context.credentials.accessKeySecret, context.credentials.securityToken];
      const deadLetter = (outcome: Outcome) =>
        this.deadLetter(outcome, { ...this.facts(outcome, delivery, key, started, secrets), request });
      // A request for a cloud this deployment does not carry (an HTTP order to the wrong function) is
      // refused before anything is asked of a cloud.
      if (!operationFor(this.operations, request))
        return deadLetter({
          ...skip(
            'dead-lettered',
            `${operationOf(request)} is not in this deployment (a function carries only its own cloud's operations)`,
          ),
          reason: 'invalid-input',
        });
      const resolved = await this.accountOf(request.provider, context);
      if (!resolved.ok) {
        const outcome = cannotRead('the account the credentials act in', resolved.error, delivery, skip);
        return outcome.status === 'dead-lettered' ? deadLetter(outcome) : outcome;
      }
      const account = resolved.account;
      // The breaker and the limiter count against the account the credentials act in: a label on the
      // request must not be a way to pick another budget.
      if (request.account !== undefined && request.account !== account) {
        return deadLetter({
          ...skip(
            'dead-lettered',
            `account: the credentials act in ${request.provider} account ${account}, not ${request.account}`,
          ),
          reason: 'invalid-input',
        });
      }
      const blocked = await this.cascadeFirst(request, context, delivery, skip);
      if (blocked) return blocked.status === 'dead-lettered' ? deadLetter(blocked) : blocked;
      const slot = await this.takeSlot(request.provider, account, delivery);
      if (!slot.ok) return deadLetter({ ...skip('dead-lettered', slot.hint), reason: 'circuit-open' });
      const outcome = await executeRequest(request, this.executeOptions(request, delivery, account));
      // A call that found nothing to change is not an action: its slot goes back to the budget.
      if (outcome.status === 'already-compliant') await slot.giveBack();
      return outcome.status === 'dead-lettered' ? deadLetter(outcome) : outcome;
    });
  }

  /**
   * A cascading request (delete-policy with `cascade`) first runs each detach it needs as a request of
   * its own, so exemptions, the breaker, the limiter and idempotency apply to each. Answers the outcome
   * that stops the cascade (an attachment exempt or refused: attached-elsewhere, naming them), or
   * undefined when every attachment is gone and the request itself may go ahead.
   */
  private async cascadeFirst(
    request: RemediationRequest,
    context: ProviderContext,
    delivery: Delivery,
    skip: (status: Outcome['status'], hint: string) => Outcome,
  ): Promise<Outcome | undefined> {
    if (request.operation !== 'delete-policy' || !request.cascade) return undefined;
    const cascadeDetaches = operationFor(this.operations, request)?.cascadeDetaches;
    if (!cascadeDetaches) return undefined;
    const { value: listed } = await retry(
      async () => {
        const answer = await cascadeDetaches(request, context);
        return answer.ok || answer.error.errorClass !== 'transient'
          ? { done: true, value: answer }
          : { done: false, errorClass: 'transient', value: answer };
      },
      { deadline: delivery.deadline, policies: this.config.retryPolicies, clock: this.config.clock },
    );
    if (!listed.ok) return cannotRead('the attachments to clear', listed.error, delivery, skip);
    const child: Delivery = {
      ...delivery,
      eventId: `${delivery.eventId}:cascade`,
      redriveOf: undefined,
      cascadeOf: targetOf(request),
    };
    const blocking: string[] = [];
    let later = false;
    for (const detach of listed.requests) {
      const outcome = await this.handleInput(detach, child);
      if (outcome.status === 'detached' || outcome.status === 'already-compliant') continue;
      if (outcome.status === 'retry-later') later = true;
      const why =
        outcome.status === 'skipped' ? (outcome.hint ?? 'skipped') : (outcome.reason ?? outcome.status);
      blocking.push(`${outcome.target} (${why})`);
    }
    if (blocking.length === 0) return undefined;
    const hint = `not deleted: still attached to ${blocking.join('; ')}`;
    if (later && delivery.onPlatform) return skip('retry-later', hint);
    return { ...skip('dead-lettered', hint), reason: 'attached-elsewhere' };
  }

  /**
   * One slot of the budget this delivery draws on (DESIGN §3): the run's in-process cap first, then the
   * shared breaker of its kind (audit or explicit) for the provider and account.
   */
  private async takeSlot(
    provider: Provider,
    account: string,
    delivery: Delivery,
  ): Promise<{ ok: true; giveBack: () => Promise<void> } | { ok: false; hint: string }> {
    const cap = this.config.maxActions;
    if (cap !== undefined && this.runActions >= cap)
      return { ok: false, hint: `this run's cap of ${cap} mutating calls (--max ${cap}) is reached` };
    // Counted before the first await, so concurrent requests cannot all pass the check at once.
    this.runActions++;
    const kind = delivery.explicit ? 'explicit' : 'audit';
    const { maxActions, window } = this.config.rules.breaker[kind];
    const key = `breaker:${kind}:${provider}:${account}`;
    const at = Date.now();
    const breaker = await this.config.store.tryRecordAction(key, maxActions, window, at);
    if (!breaker.allowed) {
      this.runActions--;
      return {
        ok: false,
        hint: `circuit breaker open: the ${kind} budget of ${maxActions} mutating calls per ${window / 60_000} min is used up for ${provider} account ${account}`,
      };
    }
    return {
      ok: true,
      giveBack: async () => {
        this.runActions--;
        await this.config.store.releaseAction(key, at);
      },
    };
  }

  /**
   * Claims the key, runs `act`, stores its outcome. A completed key answers its stored outcome; a live
   * claim elsewhere answers retry-later; a retry-later outcome or a failure gives the claim back.
   */
  private async settleOnce(
    key: string,
    delivery: Delivery,
    identity: Pick<Outcome, 'operation' | 'target'>,
    act: () => Promise<Outcome>,
  ): Promise<Outcome> {
    const { store } = this.config;
    const now = Date.now();
    const leaseMs = Math.max(1_000, Math.min(MAX_LEASE_MS, delivery.deadline - now));
    const claim = await store.claim(key, this.owner, leaseMs, now);
    if (claim.kind === 'completed') return { ...(claim.outcome as Outcome), duplicate: true };
    if (claim.kind === 'in-progress') {
      return {
        status: 'retry-later',
        operation: identity.operation,
        target: identity.target,
        hint: `claimed elsewhere until ${new Date(claim.leaseExpiresAt).toISOString()}`,
        attempts: 0,
        durationMs: 0,
      };
    }
    let outcome: Outcome;
    try {
      outcome = await act();
    } catch (error) {
      await store.release(key, this.owner);
      throw error;
    }
    if (outcome.status === 'retry-later') await store.release(key, this.owner);
    // The time travels with the stored outcome, so a replay can say when the call really happened.
    else
      await store.complete(
        key,
        this.owner,
        { ...outcome, settledAt: new Date().toISOString() },
        COMPLETED_TTL_MS,
        Date.now(),
      );
    return outcome;
  }

  private executeOptions(
    request: RemediationRequest,
    delivery: Delivery,
    account: string | undefined,
  ): ExecuteOptions {
    const { store, rules, clock, retryPolicies } = this.config;
    return {
      operations: this.operations,
      contextFor: () => delivery.context,
      deadline: delivery.deadline,
      onPlatform: delivery.onPlatform,
      lastPolicy: rules.lastPolicy as ExecuteOptions['lastPolicy'],
      retryPolicies,
      clock,
      beforeCall:
        account === undefined
          ? undefined
          : rateLimitGate(store, rules, operationOf(request), account, delivery.deadline, clock),
    };
  }

  private facts(
    outcome: Outcome,
    delivery: Delivery,
    key: string,
    started: number,
    secrets: DeadLetterFacts['secrets'],
  ): DeadLetterFacts {
    return {
      source: delivery.source,
      request: undefined,
      eventId: delivery.eventId,
      idempotencyKey: key,
      attempts: outcome.attempts,
      startedAt: started,
      reason: outcome.reason ?? 'unknown-error',
      hint: outcome.hint ?? '',
      error: outcome.error,
      previous: delivery.redriveOf,
      secrets,
    };
  }

  private async deadLetter(outcome: Outcome, facts: DeadLetterFacts): Promise<Outcome> {
    const letter = buildDeadLetter(facts, randomUUID);
    await this.config.store.putDeadLetter({
      id: letter.id,
      createdAt: Date.parse(letter.createdAt),
      record: letter,
    });
    return { ...outcome, deadLetterId: letter.id };
  }

  private log(outcome: Outcome, delivery: Delivery, key: string, provider?: Provider): void {
    const line = {
      eventId: delivery.eventId,
      idempotencyKey: key,
      source: delivery.source,
      provider,
      operation: outcome.operation,
      target: outcome.target,
      status: outcome.status,
      reason: outcome.reason,
      code: outcome.error?.code,
      attempts: outcome.attempts,
      durationMs: outcome.durationMs,
      duplicate: outcome.duplicate,
      deadLetterId: outcome.deadLetterId,
    };
    const { logger } = this.config;
    if (outcome.reason === 'circuit-open') logger.error(line, outcome.hint ?? 'circuit breaker open');
    else if (outcome.status === 'dead-lettered') logger.warn(line, 'dead-lettered');
    else logger.info(line, 'outcome');
  }
}

/**
 * Something the request depends on could not be read (the account, a cascade's attachments), so nothing
 * is changed: a transient failure is redelivered on a platform; otherwise the request is dead-lettered by
 * the error's class.
 */
function cannotRead(
  what: string,
  error: ProviderError,
  delivery: Delivery,
  skip: (status: Outcome['status'], hint: string) => Outcome,
): Outcome {
  const hint = `could not read ${what} (${error.code}): ${error.message}`;
  const transient = error.errorClass === 'transient' || error.errorClass === 'ambiguous';
  if (transient && delivery.onPlatform) return skip('retry-later', hint);
  const reason = transient
    ? 'retry-budget-exhausted'
    : (DEAD_LETTER_BY_CLASS[error.errorClass] ?? 'unknown-error');
  return {
    ...skip('dead-lettered', hint),
    reason,
    error: {
      provider: error.provider,
      code: error.code,
      httpStatus: error.httpStatus,
      message: error.message,
      requestId: error.requestId,
    },
  };
}
