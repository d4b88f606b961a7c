import { createHash } from 'node:crypto';
import type { RemediationRequest } from '../requests';

// Fields that say where a request came from or how to run it, not what it does.
const ENVELOPE = new Set(['account', 'source', 'eventId', 'dryRun']);

/** What the request does, independent of how it was delivered: provider, operation and target fields. */
export function requestIdentity(request: RemediationRequest): string {
  const fields = Object.entries(request)
    .filter(([name, value]) => !ENVELOPE.has(name) && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(Object.fromEntries(fields));
}

/** DESIGN §3: sha256 of the triggering event's id and the request's identity. */
export function idempotencyKey(eventId: string, request: RemediationRequest): string {
  return createHash('sha256').update(eventId).update('\n').update(requestIdentity(request)).digest('hex');
}
