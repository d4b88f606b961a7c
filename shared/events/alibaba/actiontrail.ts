import * as z from 'zod';
import { eachAuditRecord, failureCode, ignored, shown } from '../audit';
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
import type { AuditParse } from '../types';

/**
 * Alibaba ActionTrail records delivered by EventBridge (reference A.1): one CloudEvent, or an array of them in
 * batch / event-stream mode. Sample: test/fixtures/events/alibaba/eventbridge-actiontrail-attachpolicy.composite.json.
 * The `source` and the product prefix of `type` are not certain for Resource Manager (A.1.2, E.1), so only the
 * `:ActionTrail:ApiCall` / `:ActionTrail:ConsoleOperation` suffix and `data.eventName` decide.
 */

export const SOURCE = 'alibaba:actiontrail';

const id = z.union([z.string(), z.number()]).optional().catch(undefined);
const text = z.string().optional().catch(undefined);

/** The CloudEvent envelope (A.1.1); every field the parser does not read passes untouched. */
export const actionTrailEvent = z.object({
  id,
  type: z.string(),
  aliyunaccountid: id,
  data: z.unknown().optional(),
});

/** The ActionTrail record in `data` (A.1.3, A.1.4). */
export const actionTrailRecord = z.object({
  eventId: id,
  eventName: z.string(),
  eventType: text,
  eventRW: text,
  errorCode: z.unknown().optional(),
  errorMessage: z.unknown().optional(),
  userIdentity: z.object({ accountId: id }).optional().catch(undefined),
  // An object in the EventBridge samples, a JSON string (`requestParameterJson`) in SLS deliveries.
  requestParameters: z.unknown().optional(),
  requestParameterJson: z.unknown().optional(),
});

const API_CALL = /:ActionTrail:(ApiCall|ConsoleOperation)$/i;
const RAW_TYPES = ['apicall', 'consoleoperation'];
const OWN_CALLS = ['detachpolicy', 'detachcontrolpolicy', 'deletepolicy'];

export function parseAlibabaAudit(event: unknown): AuditParse[] {
  return eachAuditRecord(event, parseRecord);
}

function parseRecord(record: unknown): AuditParse {
  if (!isObject(record)) return ignored('not an EventBridge CloudEvent');
  let envelope: z.infer<typeof actionTrailEvent> | undefined;
  let data: unknown = record;
  if (typeof record.type === 'string') {
    envelope = actionTrailEvent.parse(record);
    if (!API_CALL.test(envelope.type))
      return ignored(`type ${shown(envelope.type)} is not an ActionTrail API call`, idText(envelope.id));
    data = envelope.data;
  } else if (!('eventName' in record) || !RAW_TYPES.includes(normalizeName(record.eventType))) {
    // Event-stream mode with `RawData` hands over the record without its envelope (A.3.1).
    return ignored('not an ActionTrail CloudEvent');
  }
  const parsed = actionTrailRecord.safeParse(data);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || '(record)';
    return ignored(`ActionTrail record without a readable data.${field}`, idText(envelope?.id));
  }
  const trail = parsed.data;
  const eventId = idText(trail.eventId) ?? idText(envelope?.id) ?? contentId('actiontrail', data);
  const error = failureCode(trail.errorCode) ?? failureCode(trail.errorMessage);
  if (error !== undefined) return ignored(`failed call (errorCode ${shown(error)})`, eventId);
  if (normalizeName(trail.eventRW) === 'read') return ignored('read call', eventId);
  const name = normalizeName(trail.eventName);
  if (OWN_CALLS.includes(name))
    return ignored(`detach call ${shown(trail.eventName)}: nothing to undo`, eventId);

  const params: Json = {
    ...objectOrJson(trail.requestParameterJson),
    ...objectOrJson(trail.requestParameters),
  };
  const param = (key: string): unknown => {
    const value = pick(params, key);
    return idText(value) ?? value;
  };
  const envelopeFields = {
    account: idText(trail.userIdentity?.accountId) ?? idText(envelope?.aliyunaccountid),
    source: SOURCE,
    eventId,
  };
  let input: Json;
  if (name === 'attachpolicy') {
    input = {
      provider: 'alibaba',
      operation: 'detach-policy',
      resourceGroupId: param('ResourceGroupId'),
      policyType: param('PolicyType'),
      policyName: param('PolicyName'),
      principalType: param('PrincipalType'),
      principalName: param('PrincipalName'),
      ...envelopeFields,
    };
  } else if (name === 'attachcontrolpolicy') {
    input = {
      provider: 'alibaba',
      operation: 'detach-control-policy',
      policyId: param('PolicyId'),
      targetId: param('TargetId'),
      ...envelopeFields,
    };
  } else {
    return ignored(`event ${shown(trail.eventName)} is not an attach call we undo`, eventId);
  }
  return { kind: 'remediate', item: { eventId, input: defined(input) } };
}
