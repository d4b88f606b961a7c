import { createHash } from 'node:crypto';
import type { Outcome } from '../outcomes';
import type { RemediationRequest } from '../requests';
import type { StateStore } from '../state/types';
import type { Clock } from './clock';

/** How long a settled key answers its outcome: longer than any platform redelivers an event. */
const COMPLETED_TTL_MS = 7 * 24 * 3_600_000;
const MAX_LEASE_MS = 15 * 60_000;

// Fields that say where a request came from or how to run it, not what it does.
const ENVELOPE = new Set(['account', 'source', 'eventId', 'dryRun']);

/** What the request does, independent of how it was delivered: provider, operation and target fields. */
export function requestIdentity(request: RemediationRequest): string {
  // Built field by field in sorted order: on every message of a batch, so without intermediate arrays.
  const fields: Record<string, unknown> = {};
  for (const name of Object.keys(request).sort()) {
    const value = (request as Record<string, unknown>)[name];
    if (!ENVELOPE.has(name) && value !== undefined) fields[name] = value;
  }
  return JSON.stringify(fields);
}

/** The key of a request: sha256 of the triggering event's id and the request's identity. */
export function idempotencyKey(eventId: string, request: RemediationRequest): string {
  return createHash('sha256').update(eventId).update('\n').update(requestIdentity(request)).digest('hex');
}

/** The key of an input that is no request (it is dead-lettered): the event's id and the input as kept. */
export function inputKey(eventId: string, keptText: string): string {
  return createHash('sha256').update(eventId).update('\n').update(keptText).digest('hex');
}

/**
 * At-least-once delivery, one effect: a key is claimed before anything is done, and its outcome stored once
 * settled. A completed key answers its stored outcome (marked duplicate); a live claim elsewhere answers
 * retry-later; a retry-later outcome or a failure gives the claim back, so the next delivery acts.
 */
export class Idempotency {
  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
    /** This engine's claims. */
    private readonly owner: string,
  ) {}

  async once(
    key: string,
    deadline: number,
    identity: Pick<Outcome, 'operation' | 'target'>,
    act: () => Promise<Outcome>,
  ): Promise<Outcome> {
    const now = this.clock.now();
    const leaseMs = Math.max(1_000, Math.min(MAX_LEASE_MS, deadline - now));
    const claim = await this.store.claim(key, this.owner, leaseMs, now);
    if (claim.kind === 'completed') return { ...(claim.outcome as Outcome), duplicate: true };
    if (claim.kind === 'in-progress') {
      return {
        ...identity,
        status: 'retry-later',
        hint: `claimed elsewhere until ${new Date(claim.leaseExpiresAt).toISOString()}`,
        attempts: 0,
        durationMs: 0,
      };
    }
    let outcome: Outcome;
    try {
      outcome = await act();
    } catch (error) {
      await this.store.release(key, this.owner);
      throw error;
    }
    if (outcome.status === 'retry-later') await this.store.release(key, this.owner);
    else {
      const settledAt = this.clock.now();
      // The time travels with the stored outcome, so a replay can say when the call really happened.
      const stored = { ...outcome, settledAt: new Date(settledAt).toISOString() };
      await this.store.complete(key, this.owner, stored, COMPLETED_TTL_MS, settledAt);
    }
    return outcome;
  }
}
