import * as z from 'zod';
import { firstIssue } from '../../zod-errors';
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
 * Alibaba ActionTrail records delivered by EventBridge (docs/sources.md, Alibaba ActionTrail through
 * EventBridge): one CloudEvent, or an array of them in batch / event-stream mode.
 * Sample: test/fixtures/events/alibaba/eventbridge-actiontrail-attachpolicy.composite.json.
 * The `source` and the product prefix of `type` are not certain for Resource Manager (EventBridge's
 * "ActionTrail events" page shows the form; no Resource Manager event was found), so only the
 * `:ActionTrail:ApiCall` / `:ActionTrail:ConsoleOperation` suffix and `data.eventName` decide.
 */

export const SOURCE = 'alibaba:actiontrail';

const id = z.union([z.string(), z.number()]).optional().catch(undefined);
const text = z.string().optional().catch(undefined);

/**
 * The CloudEvent envelope (EventBridge "Event overview" page); every field the parser does not read passes
 * untouched.
 */
export const actionTrailEvent = z.object({
  id,
  type: z.string(),
  source: text,
  aliyunaccountid: id,
  data: z.unknown().optional(),
});

/** The ActionTrail record in `data` (ActionTrail "management event structure" page). */
export const actionTrailRecord = z.object({
  eventId: id,
  eventName: z.string(),
  eventType: text,
  eventRW: text,
  serviceName: text,
  errorCode: z.unknown().optional(),
  errorMessage: z.unknown().optional(),
  userIdentity: z.object({ accountId: id }).optional().catch(undefined),
  // An object in the EventBridge samples, a JSON string (`requestParameterJson`) in SLS deliveries.
  requestParameters: z.unknown().optional(),
  requestParameterJson: z.unknown().optional(),
});

const API_CALL = /:ActionTrail:(ApiCall|ConsoleOperation)$/i;
const RAW_TYPES = ['apicall', 'consoleoperation'];
const OWN_CALLS = [
  'detachpolicy',
  'detachcontrolpolicy',
  'deletepolicy',
  'detachpolicyfromuser',
  'detachpolicyfromgroup',
  'detachpolicyfromrole',
];

/**
 * The services whose attach calls we undo, by the names a record may give them (`serviceName` "Ram" in the RAM
 * documentation's records; Resource Manager's spelling is not documented, so the product code of `eventSource`
 * and of the envelope's `source` count too). Any other named service (Tag audits an `AttachPolicy` of its own)
 * is ignored.
 */
const RESOURCE_MANAGER = ['resourcemanager', 'resourcedirectory', 'resourcedirectorymaster'];
const RAM = ['ram'];
type PrincipalType = 'IMSUser' | 'IMSGroup' | 'ServiceRole';
const RAM_ATTACH: Readonly<Record<string, [PrincipalType, string]>> = {
  attachpolicytouser: ['IMSUser', 'UserName'],
  attachpolicytogroup: ['IMSGroup', 'GroupName'],
  attachpolicytorole: ['ServiceRole', 'RoleName'],
};

// Shapes of the ids (the request schema's rules, shared/requests.ts), checked before any read.
const RESOURCE_GROUP = /^(rg-[A-Za-z0-9]{1,64}|\d{1,32})$/;
const ACCOUNT = /^\d{1,32}$/;
const CONTROL_POLICY = /^cp-[A-Za-z0-9]{1,64}$/;
const RD_TARGET = /^(r-[A-Za-z0-9]{1,64}|fd-[A-Za-z0-9]{1,64}|\d{1,32})$/;
const POLICY_NAME = /^[A-Za-z0-9-]{1,128}$/;
const PRINCIPAL = /^[A-Za-z0-9._@-]{1,128}$/;
const PRINCIPAL_TYPE = /^(IMSUser|IMSGroup|ServiceRole)$/;
const POLICY_TYPE = /^(Custom|System)$/;

export function parseAlibabaAudit(event: unknown): AuditParse[] {
  return eachAuditRecord(event, parseRecord);
}

/** The service a record belongs to, normalised, or undefined when it names none. */
function serviceOf(record: Json, envelope: z.infer<typeof actionTrailEvent> | undefined): string | undefined {
  const fromSource = (value: unknown) =>
    typeof value === 'string' ? value.replace(/^acs[.:]/i, '').split(/[.:]/)[0] : undefined;
  const candidates = [
    normalizeName(record.serviceName),
    normalizeName(fromSource(record.eventSource)),
    normalizeName(fromSource(pick(record, 'source'))),
    normalizeName(fromSource(envelope?.source)),
    normalizeName(envelope?.type.split(':')[0]),
  ].filter((name) => name !== '' && name !== 'actiontrail');
  return candidates[0];
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
    // Event-stream mode with `RawData` hands over the record without its envelope
    // (docs/sources.md, Queue triggers: the MNS `RawData` form).
    return ignored('not an ActionTrail CloudEvent');
  }
  const parsed = actionTrailRecord.safeParse(data);
  if (!parsed.success) {
    const { field } = firstIssue(parsed.error, '(record)');
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
  const service = serviceOf(data as Json, envelope);
  const ram = RAM_ATTACH[name];
  const ours = ram
    ? service === undefined || RAM.includes(service)
    : (name === 'attachpolicy' || name === 'attachcontrolpolicy') &&
      (service === undefined || RESOURCE_MANAGER.includes(service));
  if (!ours) {
    const of = service === undefined ? '' : ` of service ${shown(trail.serviceName ?? service)}`;
    return ignored(`event ${shown(trail.eventName)}${of} is not an attach call we undo`, eventId);
  }

  const params: Json = {
    ...objectOrJson(trail.requestParameterJson),
    ...objectOrJson(trail.requestParameters),
  };
  const account = idText(trail.userIdentity?.accountId) ?? idText(envelope?.aliyunaccountid);
  try {
    const hint = ram
      ? ramHint(ram, params, account ?? idText(pick(data as Json, 'recipientAccountId')))
      : name === 'attachpolicy'
        ? resourceGroupHint(params)
        : controlPolicyHint(params);
    if (typeof hint === 'string') return unreadable(eventId, hint, data);
    return { kind: 'hint', eventId, hint, account };
  } catch (error) {
    if (error instanceof BadField) return unreadable(eventId, error.message, data);
    throw error;
  }
}

const param = (params: Json, key: string, pattern: RegExp) =>
  checked(pick(params, key), pattern, `requestParameters.${key}`);

/** Resource Manager AttachPolicy: the resource group (or account) and principal, and the policy. */
function resourceGroupHint(params: Json): AuditHint | string {
  const resourceGroupId = param(params, 'ResourceGroupId', RESOURCE_GROUP);
  if (resourceGroupId === undefined)
    return 'AttachPolicy names no resource group (requestParameters.ResourceGroupId)';
  return defined({
    provider: 'alibaba',
    operation: 'detach-policy',
    resourceGroupId,
    principalType: param(params, 'PrincipalType', PRINCIPAL_TYPE),
    principalName: param(params, 'PrincipalName', PRINCIPAL),
    policyType: param(params, 'PolicyType', POLICY_TYPE),
    policyName: param(params, 'PolicyName', POLICY_NAME),
  }) as AuditHint;
}

/** Resource Directory AttachControlPolicy: the folder or member, and the control policy. */
function controlPolicyHint(params: Json): AuditHint | string {
  const targetId = param(params, 'TargetId', RD_TARGET);
  if (targetId === undefined) return 'AttachControlPolicy names no target (requestParameters.TargetId)';
  return defined({
    provider: 'alibaba',
    operation: 'detach-control-policy',
    targetId,
    policyId: param(params, 'PolicyId', CONTROL_POLICY),
  }) as AuditHint;
}

/**
 * RAM AttachPolicyToUser/Group/Role: an account-wide grant. Resource Manager addresses it with the account id
 * as ResourceGroupId (docs/sources.md); RAM names the principal without the account alias.
 */
function ramHint(
  [principalType, nameKey]: [PrincipalType, string],
  params: Json,
  account: string | undefined,
): AuditHint | string {
  const resourceGroupId = checked(account, ACCOUNT, 'userIdentity.accountId');
  if (resourceGroupId === undefined)
    return 'a RAM grant without the account it was made in (userIdentity.accountId)';
  return defined({
    provider: 'alibaba',
    operation: 'detach-policy',
    resourceGroupId,
    principalType,
    principalShortName: param(params, nameKey, PRINCIPAL),
    policyType: param(params, 'PolicyType', POLICY_TYPE),
    policyName: param(params, 'PolicyName', POLICY_NAME),
  }) as AuditHint;
}
