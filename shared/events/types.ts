/**
 * What the event parsers make of the platforms' trigger events (docs/ARCHITECTURE.md, The request flow): one
 * small vocabulary for all three clouds, so the functions stay glue (adapter → parser → engine → response).
 */

/**
 * What an audit record of an attach call names (an audit event is a hint, the cloud is the truth:
 * docs/ARCHITECTURE.md, The request flow): the target whose attachments the audit-log function reads from the
 * cloud and, when the record reliably carries it, the policy. A hint with both reads that one attachment; a
 * hint with only one side reads every attachment of it (the target's policies, or the policy's targets). Ids
 * are checked for shape, nothing more.
 */
export type AuditHint =
  | {
      provider: 'alibaba';
      operation: 'detach-policy';
      /** A resource group (rg-…) or, for account-wide grants (RAM's own attach calls), the account id. */
      resourceGroupId: string;
      principalType?: 'IMSUser' | 'IMSGroup' | 'ServiceRole';
      /** The principal as Resource Manager names it (`alice@corp.onaliyun.com`). */
      principalName?: string;
      /** RAM's calls name a principal without the account alias (`alice`): matched against the part before '@'. */
      principalShortName?: string;
      policyType?: 'Custom' | 'System';
      policyName?: string;
    }
  | { provider: 'alibaba'; operation: 'detach-control-policy'; targetId: string; policyId?: string }
  | {
      provider: 'tencent';
      operation: 'detach-policy';
      targetId?: number;
      targetType?: 'NODE' | 'MEMBER';
      policyId?: number;
      type?: 'SERVICE_CONTROL_POLICY' | 'TAG_POLICY';
    }
  | { provider: 'huawei'; operation: 'detach-agency-policy'; agency?: string; policyId?: string };

/** One audit record: the hint it gives, why it is ignored, or why it names nothing readable (dead-lettered). */
export type AuditParse =
  | { kind: 'hint'; eventId: string; hint: AuditHint; account?: string | undefined }
  | { kind: 'unreadable'; eventId: string; reason: string; record: unknown }
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
