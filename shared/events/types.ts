/**
 * What the event parsers make of the platforms' trigger events (DESIGN §1): one small vocabulary for all
 * three clouds, so the functions stay glue (adapter → parser → engine → response).
 */

/** One request an event carries: its id (for idempotency) and the request input, validated later by the engine. */
export interface EventItem {
  eventId: string;
  input: unknown;
}

/** An audit record: the detach request that undoes an attach call, or why the record is ignored. */
export type AuditParse =
  | { kind: 'remediate'; item: EventItem }
  | { kind: 'ignored'; eventId?: string; reason: string };

/**
 * One queue message. `body` is the message body parsed as JSON; a body that is not JSON arrives as
 * `{ invalidJson: <first 1000 characters> }` so the engine dead-letters it as invalid input. A record that
 * names no message for sure (no id, no topic, not a record at all) is one message of its own with `invalid`
 * set, its id derived from its place and content, and the record (bounded) as `body`: the engine
 * dead-letters it, and the records beside it are processed as usual.
 */
export interface QueueMessage {
  messageId: string;
  body: unknown;
  invalid?: { field: string; rule: string };
}

/** An HTTP request as the platform's HTTP trigger hands it over, normalised. */
export interface HttpRequestEvent {
  method: string;
  path: string;
  /** Header names lower-cased; multi-valued headers joined with ','. */
  headers: Readonly<Record<string, string>>;
  /** The raw body text (decoded from base64 when the platform encoded it). */
  body: string;
}

export interface HttpReply {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** An event that is not of the shape its trigger delivers: answered, logged, never thrown past the handler. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}
