import type { Outcome } from '../outcomes';
import type { ProviderContext } from '../providers/types';
import { type Provider, parseRequest } from '../requests';
import type { StateStore } from '../state/types';
import { deadLetterSchema } from './dead-letters';
import type { Engine } from './engine';

export type RedriveResult =
  | { id: string; outcome: Outcome }
  | { id: string; skipped: 'not-found' | 'being-redriven' | 'still-invalid'; detail?: string };

const LOCK_MS = 15 * 60_000;

/**
 * Runs a dead letter through the engine again under its original idempotency key, so it can never act
 * twice: a lock keeps two redrives of one record apart (the record is read only once it is held), the
 * key's dead-lettered outcome is forgotten first so the engine claims it anew, and the record goes only
 * once the request has settled.
 */
export async function redrive(
  engine: Engine,
  store: StateStore,
  owner: string,
  id: string,
  deadline: number,
  contextFor: (provider: Provider) => ProviderContext,
): Promise<RedriveResult> {
  const lock = `redrive:${id}`;
  const claim = await store.claim(lock, owner, LOCK_MS, Date.now());
  if (claim.kind !== 'claimed') return { id, skipped: 'being-redriven' };
  try {
    // Read under the lock: a record read before it may have been redriven and removed meanwhile, and
    // acting on it then would forget the key's new outcome and act a second time.
    const stored = await store.getDeadLetter(id);
    if (!stored) return { id, skipped: 'not-found' };
    const letter = deadLetterSchema().parse(stored.record);
    const parsed = parseRequest(letter.request);
    if (!parsed.ok) return { id, skipped: 'still-invalid', detail: `${parsed.field}: ${parsed.rule}` };
    // A dry-run redrive only reports what it would do: the record and the key's outcome stay.
    if (!engine.dryRun) await store.forget(letter.idempotencyKey);
    const outcome = await engine.handle(parsed.request, {
      trigger: 'redrive',
      eventId: letter.eventId,
      explicit: true,
      deadline,
      context: contextFor(parsed.request.provider),
      onPlatform: false,
      redriveOf: letter,
    });
    if (!engine.dryRun && outcome.status !== 'dead-lettered' && outcome.status !== 'retry-later')
      await store.deleteDeadLetter(id);
    return { id, outcome };
  } finally {
    await store.release(lock, owner);
  }
}
