import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { DEAD_LETTER_REASONS, type DeadLetterReason, type Outcome } from '../outcomes';
import type { ErrorClass, ProviderError } from '../providers/types';
import type { StateStore } from '../state/types';
import type { Clock } from './clock';

/**
 * A request no retry can fix, kept with everything a person (or a redrive) needs, validated, with secrets
 * removed (docs/ARCHITECTURE.md, Safety). `source` is the trigger that delivered it.
 */
const buildDeadLetterSchema = () =>
  z
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

let built: ReturnType<typeof buildDeadLetterSchema> | undefined;

/** The schema, built on first use: most invocations write no dead letter, and a cold start should not build it. */
export function deadLetterSchema(): ReturnType<typeof buildDeadLetterSchema> {
  built ??= buildDeadLetterSchema();
  return built;
}

export type DeadLetter = z.output<ReturnType<typeof buildDeadLetterSchema>>;

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

export function buildDeadLetter(facts: DeadLetterFacts, newId: () => string, at: number): DeadLetter {
  const previous = facts.previous;
  const now = new Date(at).toISOString();
  return deadLetterSchema().parse(
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

/** Writes dead letters to the state store; answers the outcome carrying the record's id. */
export class DeadLetters {
  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
  ) {}

  async write(outcome: Outcome, facts: DeadLetterFacts): Promise<Outcome> {
    const at = this.clock.now();
    const letter = buildDeadLetter(facts, randomUUID, at);
    await this.store.putDeadLetter({
      id: letter.id,
      createdAt: Date.parse(letter.createdAt),
      record: letter,
    });
    return { ...outcome, deadLetterId: letter.id };
  }
}

/** The dead-letter reason of an error class no retry fixed. */
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

/** What a person should do about a dead letter of this reason. */
export function hintFor(
  reason: DeadLetterReason,
  error: ProviderError,
  permissions: readonly string[],
): string {
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
