import type { ProviderContext } from '../providers/types';
import type { DeadLetter } from './dead-letters';

/** What set a request going: the kind of trigger (kept as `source` on dead letters and log lines). */
export const TRIGGERS = ['audit-log', 'queue', 'http', 'cli', 'redrive'] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** How one request arrived: who must settle it, by when, under which budget, with which credentials. */
export interface Delivery {
  trigger: Trigger;
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
