import * as z from 'zod';
import { firstIssue } from '../../zod-errors';
import { BadField, checked, eachAuditRecord, failureCode, ignored, shown, unreadable } from '../audit';
import { contentId, defined, idText, isObject, normalizeName, objectOrJson, pick } from '../common';
import type { AuditHint, AuditParse } from '../types';

/**
 * Huawei CTS traces delivered by the FunctionGraph CTS trigger (docs/sources.md, Huawei CTS trigger):
 * `{ cts: { … } }`.
 * Sample: test/fixtures/events/huawei/cts-attach-agency-policy.composite.json. The trigger sample and the trace
 * API disagree on types (`request` object or JSON string, `code` number or string, `trace_status` or
 * `trace_rating`), so every one of them is read both ways.
 */

export const SOURCE = 'huawei:cts';

const id = z.union([z.string(), z.number()]).optional().catch(undefined);
const text = z.string().optional().catch(undefined);

/**
 * One CTS trace (the CTS "Trace structure" field list); the fields the parser does not read pass untouched.
 */
export const ctsTrace = z.object({
  trace_id: id,
  request_id: id,
  trace_name: z.string(),
  trace_rating: text,
  trace_status: text,
  code: z.unknown().optional(),
  read_only: z.unknown().optional(),
  resource_type: text,
  resource_id: z.unknown().optional(),
  resource_name: z.unknown().optional(),
  service_type: text,
  resource_url: text,
  request: z.unknown().optional(),
  user: z
    .object({ domain: z.object({ id }).optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

// IAM's "operations recorded by CTS" table names the trace attachAgencyPolicyV5 (resource type `agency`);
// the API, SDK and permission spell it AttachAgencyPolicyV5 and iam:agencies:attachPolicyV5.
const ATTACH = [
  'attachagencypolicyv5',
  'attachagencypolicy',
  'agenciesattachpolicyv5',
  'iamagenciesattachpolicyv5',
];
const OWN_CALLS = ATTACH.map((name) => name.replace('attach', 'detach'));
const ATTACH_URL = /\/v5\/policies\/([^/?#]+)\/attach-agency(?:[/?#]|$)/;
const DETACH_URL = /\/v5\/policies\/[^/?#]+\/detach-agency(?:[/?#]|$)/;
const FAILED_RATINGS = ['warning', 'incident'];
// Agency ids, and agency names (letters, digits and + = , . @ - _; IAM v5 CreateAgencyV5); policy ids
// (DetachAgencyPolicyV5 API page).
const AGENCY = /^[A-Za-z0-9+=,.@_-]{1,64}$/;
const POLICY = /^[A-Za-z0-9-]{1,64}$/;

export function parseHuaweiAudit(event: unknown): AuditParse[] {
  return eachAuditRecord(event, parseRecord);
}

/** Why the trace records a failed call, or `undefined` when it succeeded. */
function failure(trace: z.infer<typeof ctsTrace>): string | undefined {
  const code = failureCode(trace.code);
  const status = code !== undefined && /^\d{3}$/.test(code) ? Number(code) : undefined;
  if (status !== undefined && status >= 400) return `code ${code}`;
  const rating = [trace.trace_rating, trace.trace_status]
    .map(normalizeName)
    .find((r) => FAILED_RATINGS.includes(r));
  // A warning rating with a success status contradicts itself: the call is taken as done, to be undone.
  if (rating !== undefined && (status === undefined || status >= 400)) return `trace rating ${rating}`;
  return undefined;
}

function urlPolicyId(url: string | undefined): string | undefined {
  const match = url === undefined ? null : ATTACH_URL.exec(url);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

function parseRecord(record: unknown): AuditParse {
  const traceValue = isObject(record) && isObject(record.cts) ? record.cts : record;
  if (!isObject(traceValue) || !('trace_name' in traceValue)) return ignored('not a CTS trace');
  const parsed = ctsTrace.safeParse(traceValue);
  if (!parsed.success) {
    const { field } = firstIssue(parsed.error, '(trace)');
    return ignored(`CTS trace without a readable cts.${field}`, idText(traceValue.trace_id));
  }
  const trace = parsed.data;
  const eventId = idText(trace.trace_id) ?? idText(trace.request_id) ?? contentId('cts', traceValue);
  const failed = failure(trace);
  if (failed !== undefined) return ignored(`failed call (${failed})`, eventId);
  if (trace.read_only === true || normalizeName(trace.read_only) === 'true')
    return ignored('read call', eventId);
  const name = normalizeName(trace.trace_name);
  const url = trace.resource_url;
  if (OWN_CALLS.includes(name) || (url !== undefined && DETACH_URL.test(url)))
    return ignored(`detach call ${shown(trace.trace_name)}: nothing to undo`, eventId);
  const fromUrl = urlPolicyId(url);
  if (!ATTACH.includes(name) && !(fromUrl !== undefined && name.startsWith('attach')))
    return ignored(`trace ${shown(trace.trace_name)} is not an attach call we undo`, eventId);
  const service = normalizeName(trace.service_type);
  if (service !== '' && service !== 'iam')
    return ignored(
      `trace ${shown(trace.trace_name)} of service ${shown(trace.service_type)} is not IAM's`,
      eventId,
    );

  try {
    // IAM records attachAgencyPolicyV5 under resource type `agency` (its resource_id may be the agency's name,
    // resolved when read); the composite samples name the policy there instead. `request` may be empty.
    const onAgency = normalizeName(trace.resource_type).startsWith('agenc');
    const onPolicy = normalizeName(trace.resource_type) === 'policy';
    const request = objectOrJson(trace.request);
    const agency =
      checked(pick(request, 'agency_id', 'agencyId'), AGENCY, 'cts.request.agency_id') ??
      (onAgency
        ? (checked(trace.resource_id, AGENCY, 'cts.resource_id') ??
          checked(trace.resource_name, AGENCY, 'cts.resource_name'))
        : undefined);
    const policyId =
      checked(fromUrl, POLICY, 'cts.resource_url') ??
      checked(pick(request, 'policy_id', 'policyId'), POLICY, 'cts.request.policy_id') ??
      (onPolicy ? checked(trace.resource_id, POLICY, 'cts.resource_id') : undefined);
    if (agency === undefined && policyId === undefined)
      return unreadable(
        eventId,
        'attachAgencyPolicyV5 names neither agency nor policy (resource_id, request, resource_url)',
        traceValue,
      );
    const hint = defined({
      provider: 'huawei',
      operation: 'detach-agency-policy',
      agency,
      policyId,
    }) as AuditHint;
    return { kind: 'hint', eventId, hint, account: idText(trace.user?.domain?.id) };
  } catch (error) {
    if (error instanceof BadField) return unreadable(eventId, error.message, traceValue);
    throw error;
  }
}
