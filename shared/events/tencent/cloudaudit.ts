import { BadField, checked, eachAuditRecord, failureCode, ignored, shown, unreadable } from '../audit';
import {
  contentId,
  defined,
  idText,
  isObject,
  type Json,
  normalizeName,
  objectOrJson,
  pick,
} from '../common';
import type { AuditHint, AuditParse } from '../types';

/**
 * Tencent CloudAudit records delivered by EventBridge (docs/sources.md, Tencent CloudAudit through
 * EventBridge): one CloudEvent, or an array of them. Sample:
 * test/fixtures/events/tencent/eventbridge-cloudaudit-attachpolicy.composite.json. Audit events are published
 * under each product's own source, so the `<product>:CloudEvent:<ApiCall|ConsoleCall|…>` type and
 * `data.eventName` decide; the parameters of Organization AttachPolicy (TargetId, TargetType, PolicyId, Type)
 * say which attachment to undo.
 */

export const SOURCE = 'tencent:cloudaudit';

/** An id field: a string or a number as sent, anything else read as absent (never a failure). */
const idOf = (value: unknown): string | number | undefined =>
  typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : undefined;
/** A text field: a string as sent, anything else read as absent (never a failure). */
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The EventBridge envelope (EventBridge "Cloud Audit Event" page); `time` is epoch ms, untouched here. */
interface CloudAuditEvent {
  id: string | number | undefined;
  type: string;
  source: string | undefined;
  data: unknown;
}

/** The CloudAudit record in `data` (fields of CloudAudit's "event details" table). */
interface CloudAuditRecord {
  eventID: string | number | undefined;
  eventId: string | number | undefined;
  eventName: string;
  actionType: string | undefined;
  errorCode: unknown;
  apiErrorCode: unknown;
  userIdentity: { accountId: string | number | undefined; ownerUin: string | number | undefined } | undefined;
  /** A JSON string in the documented samples; an object is accepted as well. */
  requestParameters: unknown;
}

/**
 * Read by hand, not with a schema: this runs on every cold start, and every field but `eventName` is
 * tolerant (a field of the wrong kind reads as absent). Fails only when the record is not an object or
 * carries no text `eventName`, naming that field.
 */
function readCloudAuditRecord(
  data: unknown,
): { ok: true; record: CloudAuditRecord } | { ok: false; field: string } {
  if (!isObject(data)) return { ok: false, field: '(record)' };
  const r = data;
  if (typeof r.eventName !== 'string') return { ok: false, field: 'eventName' };
  const identity = r.userIdentity;
  return {
    ok: true,
    record: {
      eventID: idOf(r.eventID),
      eventId: idOf(r.eventId),
      eventName: r.eventName,
      actionType: textOf(r.actionType),
      errorCode: r.errorCode,
      apiErrorCode: r.apiErrorCode,
      userIdentity: isObject(identity)
        ? { accountId: idOf(identity.accountId), ownerUin: idOf(identity.ownerUin) }
        : undefined,
      requestParameters: r.requestParameters,
    },
  };
}

const AUDIT_TYPE = /:CloudEvent:(ApiCall|ConsoleCall|MiniProgramCall)$/i;
const OWN_CALLS = ['detachpolicy'];
const ORGANIZATION = 'organization';
const ID = /^\d{1,16}$/;
const TARGET_TYPE = /^(NODE|MEMBER)$/;
const POLICY_TYPE = /^(SERVICE_CONTROL_POLICY|TAG_POLICY)$/;
/** `node/1001`, `member/100000000003`, `policy/100002` inside a resource name or a six-part `qcs::…` resource. */
const RESOURCE = /(?:^|[:/])(node|member|policy)\/(\d{1,16})(?=$|[/:])/gi;

/** Organization ids are Integers (Organization DetachPolicy API page). */
function integerId(value: unknown, field: string): number | undefined {
  const text = checked(value, ID, field);
  if (text === undefined) return undefined;
  const number = Number(text);
  if (!Number.isSafeInteger(number) || number <= 0)
    throw new BadField(`${field} ${shown(value)} is malformed`);
  return number;
}

export function parseTencentAudit(event: unknown): AuditParse[] {
  // Batch delivery hands the function {"EventList": [...]} (EventBridge "SCF target" page).
  return eachAuditRecord(event, parseRecord, 'EventList');
}

/** The product an event belongs to (`organization`), from the envelope or the record; undefined when unsaid. */
function productOf(envelope: CloudAuditEvent | undefined, record: Json): string | undefined {
  const candidates = [
    typeof envelope?.source === 'string' ? envelope.source.split('.')[0] : undefined,
    envelope?.type.split(':')[0],
    typeof record.eventSource === 'string' ? record.eventSource.split('.')[0] : undefined,
    record.resourceType,
  ].map(normalizeName);
  return candidates.find((name) => name !== '');
}

function parseRecord(record: unknown): AuditParse {
  if (!isObject(record)) return ignored('not an EventBridge CloudEvent');
  let envelope: CloudAuditEvent | undefined;
  let data: unknown = record;
  if (typeof record.type === 'string') {
    envelope = { id: idOf(record.id), type: record.type, source: textOf(record.source), data: record.data };
    if (!AUDIT_TYPE.test(envelope.type))
      return ignored(`type ${shown(envelope.type)} is not a CloudAudit API call`, idText(envelope.id));
    data = envelope.data;
  } else if (!('eventName' in record)) {
    // CloudAudit's own records (DescribeEvents, COS/CLS deliveries) come without the EventBridge envelope.
    return ignored('not an EventBridge CloudEvent');
  }
  const parsed = readCloudAuditRecord(data);
  if (!parsed.ok)
    return ignored(`CloudAudit record without a readable data.${parsed.field}`, idText(envelope?.id));
  const audit = parsed.record;
  const eventId =
    idText(audit.eventID) ?? idText(audit.eventId) ?? idText(envelope?.id) ?? contentId('cloudaudit', data);
  const error = failureCode(audit.errorCode) ?? failureCode(audit.apiErrorCode);
  if (error !== undefined) return ignored(`failed call (errorCode ${shown(error)})`, eventId);
  if (normalizeName(audit.actionType) === 'read') return ignored('read call', eventId);
  const name = normalizeName(audit.eventName);
  const product = productOf(envelope, data as Json);
  if (OWN_CALLS.includes(name) && (product === undefined || product === ORGANIZATION))
    return ignored(`detach call ${shown(audit.eventName)}: nothing to undo`, eventId);
  if (name !== 'attachpolicy' || (product !== undefined && product !== ORGANIZATION)) {
    const of = product === undefined ? '' : ` of ${shown(product)}`;
    return ignored(`event ${shown(audit.eventName)}${of} is not an attach call we undo`, eventId);
  }

  const account = idText(audit.userIdentity?.accountId) ?? idText(audit.userIdentity?.ownerUin);
  try {
    const hint = organizationHint(data as Json, objectOrJson(audit.requestParameters));
    if (hint.targetId === undefined && hint.policyId === undefined)
      return unreadable(
        eventId,
        'AttachPolicy names neither target nor policy (requestParameters, resources)',
        data,
      );
    return { kind: 'hint', eventId, hint, account };
  } catch (error) {
    if (error instanceof BadField) return unreadable(eventId, error.message, data);
    throw error;
  }
}

/**
 * Organization AttachPolicy: TargetId, TargetType, PolicyId, Type from the parameters (an object, or JSON text
 * in ConsoleCall records); an ApiCall record may carry `requestParameters: ""` and name the resource only in
 * `resources` / `resourceName`, read for `node/<id>`, `member/<uin>` and `policy/<id>`.
 */
function organizationHint(
  record: Json,
  params: Json | undefined,
): Extract<AuditHint, { provider: 'tencent' }> {
  const fromResources: Record<string, number> = {};
  const resources = [
    record.resourceName,
    record.resources,
    ...(Array.isArray(record.resourceSet) ? record.resourceSet : []),
  ];
  for (const value of resources) {
    const list = typeof value === 'string' ? (jsonList(value) ?? [value]) : Array.isArray(value) ? value : [];
    for (const item of list.slice(0, 50)) {
      if (typeof item !== 'string') continue;
      for (const [, kind, id] of item.slice(0, 1000).matchAll(RESOURCE)) {
        const number = Number(id);
        if (kind && Number.isSafeInteger(number) && number > 0) fromResources[kind.toLowerCase()] ??= number;
      }
    }
  }
  const targetType = checked(pick(params, 'TargetType'), TARGET_TYPE, 'requestParameters.TargetType') as
    | 'NODE'
    | 'MEMBER'
    | undefined;
  const targetId = integerId(pick(params, 'TargetId'), 'requestParameters.TargetId');
  const resourceTarget = fromResources.node ?? fromResources.member;
  return defined({
    provider: 'tencent',
    operation: 'detach-policy',
    targetId: targetId ?? resourceTarget,
    targetType:
      targetType ??
      (targetId === undefined && resourceTarget !== undefined
        ? fromResources.node !== undefined
          ? 'NODE'
          : 'MEMBER'
        : undefined),
    policyId: integerId(pick(params, 'PolicyId'), 'requestParameters.PolicyId') ?? fromResources.policy,
    type: checked(pick(params, 'Type'), POLICY_TYPE, 'requestParameters.Type'),
  }) as Extract<AuditHint, { provider: 'tencent' }>;
}

/** `resources` is a JSON list in text form in the CloudAudit records. */
function jsonList(text: string): unknown[] | undefined {
  if (!text.startsWith('[') || text.length > 100_000) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
