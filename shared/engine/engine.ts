import { randomUUID } from 'node:crypto';
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
import { Breaker } from './breaker';
import { type Clock, realClock } from './clock';
import { DEAD_LETTER_BY_CLASS, type DeadLetterFacts, DeadLetters } from './dead-letters';
import type { Delivery } from './delivery';
import { type ExecuteOptions, executeRequest, notCarried, outcomeError } from './execute';
import { Idempotency, idempotencyKey, inputKey } from './idempotency';
import { rateLimitGate } from './rate-limiter';
import { type RetryPolicy, retry } from './retry';
import { activeExemption, expiredExemptions, selectRule } from './rules';

export interface EngineConfig {
  /** The clouds this deployment reaches: their operations and caller identities (no SDK is imported here). */
  clouds: readonly Cloud[];
  store: StateStore;
  rules: RulesFile;
  logger: Logger;
  /** REMEDIATE_DRY_RUN: every request is read-only. */
  dryRun: boolean;
  retryPolicies?: Partial<Record<ErrorClass, RetryPolicy>>;
  /** Every time the engine reads or waits for; the real one by default. */
  clock?: Clock;
  /**
   * One run's cap (`run --max N`): at most this many mutating calls through this engine, in this process.
   * It only tightens the rules file's breaker; past it, requests are dead-lettered `circuit-open`.
   */
  maxActions?: number;
  /** The cloud account the credentials act in; by default the platform's word or the cloud's caller identity. */
  accountOf?: AccountOf;
}

/** A refusal a caller has already made of an input (see `handleInput`). */
export interface Refusal {
  hint: string;
  reason?: DeadLetterReason;
}

type Skip = (status: Outcome['status'], hint: string) => Outcome;

/**
 * The one path every request takes, whatever triggered it (docs/ARCHITECTURE.md, The request flow): rules
 * and exemptions → idempotency claim → account → circuit breaker → rate limiter → provider call with
 * retries → exactly one outcome, stored, dead-lettered where no retry can fix it, and logged as one line.
 */
export class Engine {
  private readonly operations: OperationRegistry;
  private readonly accountOf: AccountOf;
  private readonly clock: Clock;
  private readonly idempotency: Idempotency;
  private readonly breaker: Breaker;
  private readonly deadLetters: DeadLetters;
  /**
   * The logger of the outcome lines, without path redaction: a line's fields are the fixed, scalar ones
   * `log` writes (no credential-shaped key, no nested object), so redaction could never change it, and it
   * costs more than the rest of the line on every message of a batch (bench: warm throughput).
   */
  private readonly outcomes: Logger;

  /** REMEDIATE_DRY_RUN: every request only reads, and nothing is recorded. */
  get dryRun(): boolean {
    return this.config.dryRun;
  }

  constructor(private readonly config: EngineConfig) {
    this.operations = operationsOf(config.clouds);
    this.accountOf = config.accountOf ?? callerAccounts(config.clouds);
    this.clock = config.clock ?? realClock;
    this.idempotency = new Idempotency(config.store, this.clock, randomUUID());
    this.breaker = new Breaker(config.store, config.rules.breaker, this.clock, config.maxActions);
    this.deadLetters = new DeadLetters(config.store, this.clock);
    this.outcomes = config.logger.child({}, { redact: { paths: [] } });
    for (const exemption of expiredExemptions(config.rules, new Date(this.clock.now()))) {
      config.logger.warn({ exemption }, 'ignoring an expired exemption');
    }
  }

  /**
   * Unvalidated input (a queue message, an HTTP body item, a bulk line): invalid input is dead-lettered.
   * `refused` is a caller's verdict that the input can never become a request (a queue record without its
   * id, an audit event naming no target): it is dead-lettered with that hint (and reason) as it is.
   */
  async handleInput(input: unknown, delivery: Delivery, refused?: Refusal): Promise<Outcome> {
    const hint = refused?.hint ?? whyNotARequest(input);
    if (hint === undefined) {
      const parsed = parseRequest(input);
      if (parsed.ok) return this.handle(parsed.request, delivery);
      return this.refuse(input, delivery, { hint: `${parsed.field}: ${parsed.rule}` });
    }
    return this.refuse(input, delivery, { hint, reason: refused?.reason });
  }

  /**
   * Starts learning the account the context's credentials act in, so a request that first reads the cloud
   * (an audit record's target) does not wait for it afterwards. The answer is kept per credential.
   */
  prefetchAccount(provider: Provider, context: ProviderContext): void {
    if (!context.account) void this.accountOf(provider, context);
  }

  async handle(request: RemediationRequest, delivery: Delivery): Promise<Outcome> {
    const started = this.clock.now();
    const key = delivery.redriveOf?.idempotencyKey ?? idempotencyKey(delivery.eventId, request);
    const outcome = await this.decide(request, delivery, key, started);
    this.log(outcome, delivery, key, request.provider);
    return outcome;
  }

  /** An input that is no request, dead-lettered once per event and content. */
  private async refuse(input: unknown, delivery: Delivery, refusal: Refusal): Promise<Outcome> {
    const started = this.clock.now();
    const kept = keptForDeadLetter(input);
    const key = inputKey(delivery.eventId, contentText(kept));
    const outcome: Outcome = {
      status: 'dead-lettered',
      reason: refusal.reason ?? 'invalid-input',
      operation: 'invalid',
      target: '-',
      hint: refusal.hint,
      attempts: 0,
      durationMs: 0,
    };
    const settled = await this.idempotency.once(key, delivery.deadline, outcome, () =>
      this.deadLetters.write(outcome, { ...this.facts(outcome, delivery, key, started, []), request: kept }),
    );
    this.log(settled, delivery, key);
    return settled;
  }

  private async decide(
    request: RemediationRequest,
    delivery: Delivery,
    key: string,
    started: number,
  ): Promise<Outcome> {
    const skip: Skip = (status, hint) => ({
      status,
      operation: operationOf(request),
      target: targetOf(request),
      hint,
      attempts: 0,
      durationMs: this.clock.now() - started,
    });
    const now = new Date(this.clock.now());
    if (!delivery.explicit && delivery.cascadeOf === undefined && !selectRule(this.config.rules, request))
      return skip('skipped', 'no rule selects this request');
    const exemption = activeExemption(this.config.rules, request, now);
    if (exemption)
      return skip(
        'skipped',
        `exempt until ${exemption.expires}: ${exemption.reason} (owner ${exemption.owner})`,
      );

    // Read-only and never recorded: a later real delivery of the same event must still act.
    if (request.dryRun || this.config.dryRun)
      return executeRequest({ ...request, dryRun: true }, this.executeOptions(request, delivery, undefined));

    const identity = { operation: operationOf(request), target: targetOf(request) };
    return this.idempotency.once(key, delivery.deadline, identity, async () => {
      const { credentials } = delivery.context;
      const deadLetter = (outcome: Outcome) =>
        this.deadLetters.write(outcome, {
          ...this.facts(outcome, delivery, key, started, [
            credentials.accessKeySecret,
            credentials.securityToken,
          ]),
          request,
        });
      const outcome = await this.act(request, delivery, skip);
      return outcome.status === 'dead-lettered' ? deadLetter(outcome) : outcome;
    });
  }

  /** The claimed request, from the account check to the call: its outcome, not yet dead-lettered. */
  private async act(request: RemediationRequest, delivery: Delivery, skip: Skip): Promise<Outcome> {
    // A request for a cloud this deployment does not carry (an HTTP order to the wrong function) is refused
    // before anything is asked of a cloud.
    if (!operationFor(this.operations, request))
      return { ...skip('dead-lettered', notCarried(request)), reason: 'invalid-input' };
    const resolved = await this.accountOf(request.provider, delivery.context);
    if (!resolved.ok) return cannotRead('the account the credentials act in', resolved.error, delivery, skip);
    const account = resolved.account;
    // The breaker and the limiter count against the account the credentials act in: a label on the
    // request must not be a way to pick another budget.
    if (request.account !== undefined && request.account !== account) {
      return {
        ...skip(
          'dead-lettered',
          `account: the credentials act in ${request.provider} account ${account}, not ${request.account}`,
        ),
        reason: 'invalid-input',
      };
    }
    const blocked = await this.cascadeFirst(request, delivery, skip);
    if (blocked) return blocked;
    const slot = await this.breaker.take(request.provider, account, delivery.explicit);
    if (!slot.ok) return { ...skip('dead-lettered', slot.hint), reason: 'circuit-open' };
    const outcome = await executeRequest(request, this.executeOptions(request, delivery, account));
    if (outcome.status === 'already-compliant') await slot.giveBack();
    return outcome;
  }

  /**
   * A cascading request (delete-policy with `cascade`) first runs each detach it needs as a request of
   * its own, so exemptions, the breaker, the limiter and idempotency apply to each. Answers the outcome
   * that stops the cascade (an attachment exempt or refused: attached-elsewhere, naming them), or
   * undefined when every attachment is gone and the request itself may go ahead.
   */
  private async cascadeFirst(
    request: RemediationRequest,
    delivery: Delivery,
    skip: Skip,
  ): Promise<Outcome | undefined> {
    const cascadeDetaches = operationFor(this.operations, request)?.cascadeDetaches;
    if (!cascadeDetaches || !('cascade' in request && request.cascade)) return undefined;
    const { value: listed } = await retry(
      async () => {
        const answer = await cascadeDetaches(request, delivery.context);
        return answer.ok || answer.error.errorClass !== 'transient'
          ? { done: true, value: answer }
          : { done: false, errorClass: 'transient', value: answer };
      },
      { deadline: delivery.deadline, policies: this.config.retryPolicies, clock: this.clock },
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

  private executeOptions(
    request: RemediationRequest,
    delivery: Delivery,
    account: string | undefined,
  ): ExecuteOptions {
    const { store, rules, retryPolicies } = this.config;
    return {
      operations: this.operations,
      contextFor: () => delivery.context,
      deadline: delivery.deadline,
      onPlatform: delivery.onPlatform,
      lastPolicy: rules.lastPolicy as ExecuteOptions['lastPolicy'],
      retryPolicies,
      clock: this.clock,
      paced:
        account === undefined
          ? undefined
          : rateLimitGate(store, rules, operationOf(request), account, delivery.deadline, this.clock),
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
      source: delivery.trigger,
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

  private log(outcome: Outcome, delivery: Delivery, key: string, provider?: Provider): void {
    const line = {
      eventId: delivery.eventId,
      idempotencyKey: key,
      source: delivery.trigger,
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
    const logger = this.outcomes;
    if (outcome.reason === 'circuit-open') logger.error(line, outcome.hint ?? 'circuit breaker open');
    else if (outcome.status === 'dead-lettered') logger.warn(line, 'dead-lettered');
    else logger.info(line, 'outcome');
  }
}

/** Why an input cannot be read as a request before it is validated, or undefined when it may be. */
function whyNotARequest(input: unknown): string | undefined {
  // Queue bodies and bulk lines that are not JSON arrive wrapped as { invalidJson } by their parsers.
  if (typeof input === 'object' && input !== null && 'invalidJson' in input) return 'body: is not valid JSON';
  // Checked before anything walks it recursively (zod, JSON.stringify), which deep JSON would overflow.
  if (nestsDeeperThan(input)) return `body: nests deeper than ${MAX_DEPTH} levels, the most a request may`;
  return undefined;
}

/**
 * Something the request depends on could not be read (the account, a cascade's attachments), so nothing
 * is changed: a transient failure is redelivered on a platform; otherwise the request is dead-lettered by
 * the error's class.
 */
function cannotRead(what: string, error: ProviderError, delivery: Delivery, skip: Skip): Outcome {
  const hint = `could not read ${what} (${error.code}): ${error.message}`;
  const transient = error.errorClass === 'transient' || error.errorClass === 'ambiguous';
  if (transient && delivery.onPlatform) return skip('retry-later', hint);
  const reason = transient
    ? 'retry-budget-exhausted'
    : (DEAD_LETTER_BY_CLASS[error.errorClass] ?? 'unknown-error');
  return { ...skip('dead-lettered', hint), reason, error: outcomeError(error) };
}
