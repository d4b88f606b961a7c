import { createHash, randomUUID } from 'node:crypto';
import type { RulesFile } from '../config/rules';
import { contentText, keptForDeadLetter, MAX_DEPTH, nestsDeeperThan } from '../events/common';
import type { Logger } from '../logger';
import type { DeadLetterReason, Outcome } from '../outcomes';
import type { ErrorClass, ProviderContext } from '../providers/types';
import { operationOf, type Provider, parseRequest, type RemediationRequest, targetOf } from '../requests';
import type { StateStore } from '../state/types';
import { buildDeadLetter, type DeadLetter, type DeadLetterFacts } from './dead-letter';
import { type ExecuteOptions, executeRequest } from './execute';
import { idempotencyKey } from './idempotency-key';
import { rateLimitGate } from './rate-limiter';
import type { RetryClock, RetryPolicy } from './retry';
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
  /** On a platform the event is redelivered, so what is still transient at the deadline is `retry-later`. */
  onPlatform: boolean;
  /** Mutating calls allowed per account and window; defaults to the rules file's breaker. */
  budget?: { scope: string; maxActions: number; windowMs: number };
  /** A redrive keeps the dead letter it came from (and its idempotency key). */
  redriveOf?: DeadLetter;
}

export interface EngineConfig {
  store: StateStore;
  rules: RulesFile;
  contextFor(provider: Provider): ProviderContext;
  logger: Logger;
  /** REMEDIATE_DRY_RUN: every request is read-only. */
  dryRun: boolean;
  retryPolicies?: Partial<Record<ErrorClass, RetryPolicy>>;
  clock?: RetryClock;
}

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

  /** REMEDIATE_DRY_RUN: every request only reads, and nothing is recorded. */
  get dryRun(): boolean {
    return this.config.dryRun;
  }

  constructor(private readonly config: EngineConfig) {
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
    if (!delivery.explicit && !selectRule(this.config.rules, request))
      return skip('skipped', 'no rule selects this request');
    const exemption = activeExemption(this.config.rules, request, now);
    if (exemption)
      return skip(
        'skipped',
        `exempt until ${exemption.expires}: ${exemption.reason} (owner ${exemption.owner})`,
      );

    const context = this.config.contextFor(request.provider);
    const account = request.account ?? context.credentials.accessKeyId;
    const options = this.executeOptions(request, delivery, account);
    // Read-only and never recorded: a later real delivery of the same event must still act.
    if (request.dryRun || this.config.dryRun) return executeRequest({ ...request, dryRun: true }, options);

    const identity = { operation: operationOf(request), target: targetOf(request) };
    return this.settleOnce(key, delivery, identity, async () => {
      const { maxActions, window } = this.config.rules.breaker;
      const budget = delivery.budget ?? { scope: 'default', maxActions, windowMs: window };
      const breaker = await this.config.store.tryRecordAction(
        `breaker:${budget.scope}:${request.provider}:${account}`,
        budget.maxActions,
        budget.windowMs,
        Date.now(),
      );
      const outcome = breaker.allowed
        ? await executeRequest(request, options)
        : {
            ...skip(
              'dead-lettered',
              `circuit breaker open: ${budget.maxActions} mutating calls per ${budget.windowMs / 60_000} min reached for ${request.provider} account ${account}`,
            ),
            reason: 'circuit-open' as const,
          };
      if (outcome.status !== 'dead-lettered') return outcome;
      const secrets = [context.credentials.accessKeySecret, context.credentials.securityToken];
      return this.deadLetter(outcome, { ...this.facts(outcome, delivery, key, started, secrets), request });
    });
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
    else await store.complete(key, this.owner, outcome, COMPLETED_TTL_MS, Date.now());
    return outcome;
  }

  private executeOptions(request: RemediationRequest, delivery: Delivery, account: string): ExecuteOptions {
    const { store, rules, clock, retryPolicies } = this.config;
    return {
      contextFor: this.config.contextFor,
      deadline: delivery.deadline,
      onPlatform: delivery.onPlatform,
      lastPolicy: rules.lastPolicy as ExecuteOptions['lastPolicy'],
      retryPolicies,
      clock,
      beforeCall: rateLimitGate(store, rules, operationOf(request), account, delivery.deadline, clock),
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
