import type { RulesFile } from '../config/rules';
import { activeExemption, selectRule } from '../engine/rules';
import type { ListedAttachment } from '../providers/listing';
import {
  type OperationName,
  operationOf,
  type Provider,
  parseRequest,
  type RemediationRequest,
  targetOf,
} from '../requests';

/** What a scan makes of one attachment. */
export type Finding =
  | {
      status: 'non-compliant';
      provider: Provider;
      operation: OperationName;
      target: string;
      /** The rule that selects it. */
      rule: string;
      request: RemediationRequest;
      names?: ListedAttachment['names'];
    }
  | {
      status: 'exempt';
      provider: Provider;
      operation: OperationName;
      target: string;
      rule: string;
      exemption: { rule?: string | undefined; reason: string; owner: string; expires: string };
      request: RemediationRequest;
      names?: ListedAttachment['names'];
    }
  | {
      status: 'compliant';
      provider: Provider;
      operation: OperationName;
      target: string;
      request: RemediationRequest;
      names?: ListedAttachment['names'];
    }
  | {
      /** The cloud holds something the request schema refuses: no operation can act on it. */
      status: 'unsupported';
      provider: Provider;
      operation: string;
      target: string;
      field: string;
      problem: string;
      request: unknown;
      names?: ListedAttachment['names'];
    };

export type FindingStatus = Finding['status'];
export const FINDING_STATUSES: readonly FindingStatus[] = [
  'non-compliant',
  'exempt',
  'compliant',
  'unsupported',
];

/** Requests written by a scan say so; the engine treats them, like every line of `run`, as explicit orders. */
export const SCAN_SOURCE = 'scan';

/**
 * An attachment is non-compliant when a rule selects the request that removes it (the same `selectRule`
 * that decides which audit events act), exempt when a live exemption covers that request, and compliant
 * when no rule selects it.
 */
export function evaluate(listed: ListedAttachment, rules: RulesFile, now: Date): Finding {
  const input = { ...listed.request, source: SCAN_SOURCE };
  const names = listed.names && Object.values(listed.names).some(Boolean) ? listed.names : undefined;
  const parsed = parseRequest(input);
  if (!parsed.ok) {
    return {
      status: 'unsupported',
      provider: listed.request.provider,
      operation: `${listed.request.provider}/${listed.request.operation}`,
      target: rawTarget(listed.request),
      field: parsed.field,
      problem: parsed.rule,
      request: input,
      ...(names && { names }),
    };
  }
  const request = parsed.request;
  const common = {
    provider: request.provider,
    operation: operationOf(request),
    target: targetOf(request),
    request,
    ...(names && { names }),
  };
  const rule = selectRule(rules, request);
  if (!rule) return { status: 'compliant', ...common };
  const exemption = activeExemption(rules, request, now);
  if (!exemption) return { status: 'non-compliant', rule: rule.id, ...common };
  return {
    status: 'exempt',
    rule: rule.id,
    exemption: {
      ...(exemption.rule !== undefined && { rule: exemption.rule }),
      reason: exemption.reason,
      owner: exemption.owner,
      expires: exemption.expires,
    },
    ...common,
  };
}

function rawTarget(request: Record<string, unknown>): string {
  return Object.entries(request)
    .filter(([key]) => key !== 'provider' && key !== 'operation')
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}
