import * as z from 'zod';
import { DEAD_LETTER_REASONS } from '../outcomes';

/** DESIGN §3: everything a person (or a redrive) needs, validated, with secrets removed. */
export const deadLetterSchema = z
  .object({
    id: z.string().min(1),
    createdAt: z.iso.datetime(),
    source: z.string().min(1),
    /** The request as validated, or the raw input when it was invalid. */
    request: z.unknown(),
    eventId: z.string().min(1),
    idempotencyKey: z.string().regex(/^[0-9a-f]{64}$/),
    attempts: z.number().int().min(0),
    firstAttemptAt: z.iso.datetime(),
    lastAttemptAt: z.iso.datetime(),
    reason: z.enum(DEAD_LETTER_REASONS),
    hint: z.string(),
    error: z
      .object({
        provider: z.string(),
        code: z.string(),
        httpStatus: z.number().int().optional(),
        message: z.string(),
        requestId: z.string().optional(),
      })
      .strict()
      .optional(),
    /** How many times it was redriven and failed again. */
    redrives: z.number().int().min(0).default(0),
  })
  .strict();

export type DeadLetter = z.output<typeof deadLetterSchema>;

const SIGNATURE = /(Signature=|Credential=|Access=)[^\s,"]+/g;

/**
 * Removes every known secret value (and anything shaped like a signature) from a record before it is
 * stored: the record outlives the request and is read by people and tools.
 */
export function withoutSecrets<T>(record: T, secrets: readonly (string | undefined)[]): T {
  let text = JSON.stringify(record);
  for (const secret of secrets) {
    if (secret && secret.length >= 4)
      text = text.split(JSON.stringify(secret).slice(1, -1)).join('[redacted]');
  }
  return JSON.parse(text.replace(SIGNATURE, '$1[redacted]')) as T;
}

export interface DeadLetterFacts {
  source: string;
  request: unknown;
  eventId: string;
  idempotencyKey: string;
  attempts: number;
  startedAt: number;
  reason: DeadLetter['reason'];
  hint: string;
  error?: DeadLetter['error'];
  /** A redrive that failed again updates the record it came from. */
  previous?: DeadLetter;
  /** Credential values of the request's context: scrubbed from the record wherever they appear. */
  secrets: readonly (string | undefined)[];
}

export function buildDeadLetter(facts: DeadLetterFacts, newId: () => string): DeadLetter {
  const previous = facts.previous;
  const now = new Date().toISOString();
  return deadLetterSchema.parse(
    withoutSecrets(
      {
        id: previous?.id ?? newId(),
        createdAt: previous?.createdAt ?? now,
        source: previous?.source ?? facts.source,
        request: facts.request,
        eventId: facts.eventId,
        idempotencyKey: facts.idempotencyKey,
        attempts: (previous?.attempts ?? 0) + facts.attempts,
        firstAttemptAt: previous?.firstAttemptAt ?? new Date(facts.startedAt).toISOString(),
        lastAttemptAt: now,
        reason: facts.reason,
        hint: facts.hint,
        error: facts.error,
        redrives: previous ? previous.redrives + 1 : 0,
      },
      facts.secrets,
    ),
  );
}
