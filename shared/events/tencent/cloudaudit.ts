import * as z from 'zod';
import { eachAuditRecord, failureCode, ignored, shown } from '../audit';
import { contentId, defined, idText, isObject, normalizeName, objectOrJson, pick } from '../common';
import type { AuditParse } from '../types';

/**
 * Tencent CloudAudit records delivered by EventBridge (reference B.1.7): one CloudEvent, or an array of them.
 * Sample: test/fixtures/events/tencent/eventbridge-cloudaudit-attachpolicy.composite.json. Audit events are
 * published under each product's own source, so the `<product>:CloudEvent:<ApiCall|ConsoleCall|…>` type and
 * `data.eventName` decide; the parameters of Organization AttachPolicy (TargetId, TargetType, PolicyId, Type)
 * say which attachment to undo.
 */

export const SOURCE = 'tencent:cloudaudit';

const id = z.union([z.string(), z.number()]).optional().catch(undefined);
const text = z.string().optional().catch(undefined);

/** The EventBridge envelope (B.1.7, B.1.8); `time` is epoch ms, untouched here. */
export const cloudAuditEvent = z.object({ id, type: z.string(), data: z.unknown().optional() });

/** The CloudAudit record in `data` (fields of the "event details" table, B.1.7). */
export const cloudAuditRecord = z.object({
  eventID: id,
  eventId: id,
  eventName: z.string(),
  actionType: text,
  errorCode: z.unknown().optional(),
  apiErrorCode: z.unknown().optional(),
  userIdentity: z.object({ accountId: id, ownerUin: id }).optional().catch(undefined),
  // A JSON string in the documented samples; an object is accepted as well.
  requestParameters: z.unknown().optional(),
});

const AUDIT_TYPE = /:CloudEvent:(ApiCall|ConsoleCall|MiniProgramCall)$/i;
const OWN_CALLS = ['detachpolicy'];

/** Organization ids are Integers (seed 003); digit strings become numbers, anything else stays for the engine to reject. */
function integerId(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}

export function parseTencentAudit(event: unknown): AuditParse[] {
  return eachAuditRecord(event, parseRecord);
}

function parseRecord(record: unknown): AuditParse {
  if (!isObject(record) || typeof record.type !== 'string') return ignored('not an EventBridge CloudEvent');
  const envelope = cloudAuditEvent.parse(record);
  if (!AUDIT_TYPE.test(envelope.type))
    return ignored(`type ${shown(envelope.type)} is not a CloudAudit API call`, idText(envelope.id));
  const parsed = cloudAuditRecord.safeParse(envelope.data);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || '(record)';
    return ignored(`CloudAudit record without a readable data.${field}`, idText(envelope.id));
  }
  const audit = parsed.data;
  const eventId =
    idText(audit.eventID) ??
    idText(audit.eventId) ??
    idText(envelope.id) ??
    contentId('cloudaudit', envelope.data);
  const error = failureCode(audit.errorCode) ?? failureCode(audit.apiErrorCode);
  if (error !== undefined) return ignored(`failed call (errorCode ${shown(error)})`, eventId);
  if (normalizeName(audit.actionType) === 'read') return ignored('read call', eventId);
  const name = normalizeName(audit.eventName);
  if (OWN_CALLS.includes(name))
    return ignored(`detach call ${shown(audit.eventName)}: nothing to undo`, eventId);
  if (name !== 'attachpolicy')
    return ignored(`event ${shown(audit.eventName)} is not an attach call we undo`, eventId);

  const params = objectOrJson(audit.requestParameters);
  const input = defined({
    provider: 'tencent',
    operation: 'detach-policy',
    policyId: integerId(pick(params, 'PolicyId')),
    targetId: integerId(pick(params, 'TargetId')),
    targetType: pick(params, 'TargetType'),
    // Absent means the API's default, SERVICE_CONTROL_POLICY (the request schema fills it in).
    type: pick(params, 'Type'),
    account: idText(audit.userIdentity?.accountId) ?? idText(audit.userIdentity?.ownerUin),
    source: SOURCE,
    eventId,
  });
  return { kind: 'remediate', item: { eventId, input } };
}
