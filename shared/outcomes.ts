import type { OperationName } from './requests';

/** Every request ends in exactly one of these (docs/ARCHITECTURE.md, Error classes). */
export const OUTCOME_STATUSES = [
  'detached',
  'deleted',
  'already-compliant',
  'skipped',
  'dead-lettered',
  'retry-later',
] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** The closed set of reasons a request is dead-lettered (docs/ARCHITECTURE.md, Safety). */
export const DEAD_LETTER_REASONS = [
  'last-policy',
  'resource-group-status',
  'conflict',
  'attached-elsewhere',
  'permission',
  'invalid-input',
  'policy-type-disabled',
  'retry-budget-exhausted',
  'circuit-open',
  'unknown-error',
] as const;
export type DeadLetterReason = (typeof DEAD_LETTER_REASONS)[number];

export interface OutcomeError {
  provider: string;
  code: string;
  httpStatus?: number | undefined;
  message: string;
  requestId?: string | undefined;
}

export interface Outcome {
  status: OutcomeStatus;
  /** `invalid` when the input named no known operation. */
  operation: OperationName | 'invalid';
  /** What was acted on, readable: `rg-1/IMSUser:alice@…/System:AdministratorAccess`. */
  target: string;
  reason?: DeadLetterReason;
  /** What a person should do about a dead letter, or what a dry-run would have done. */
  hint?: string;
  /** The vendor's code and details of the last failure, when there was one. */
  error?: OutcomeError;
  /** Calls of the main operation, the first included (0 when nothing was called). */
  attempts: number;
  durationMs: number;
  /** The fallback policy attached by the `replace-with` last-policy strategy. */
  replacedWith?: string;
  /**
   * With `already-compliant`: the thing the request names that does not exist (`policy p-1`, `agency a-1`,
   * `resource group rg-9`, `node 123`, several joined by " and "), as opposed to an attachment that simply
   * is not there. An explicit order then names something wrong; automatic enforcement ignores it.
   */
  missing?: string;
  /** A repeated delivery: the outcome stored by the first one, returned without calling the cloud. */
  duplicate?: boolean;
  /** When the stored outcome settled (ISO 8601): set on a duplicate, which replays it without a call. */
  settledAt?: string;
  /** The dead-letter record this outcome was stored as. */
  deadLetterId?: string;
}
