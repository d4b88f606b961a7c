import type { RawRequest } from '../types';

/** The IAM v5 APIs the sandbox serves; action names are the SDK's operation names (IamClient.js). */
const ROUTE_TEMPLATES = [
  { action: 'DetachAgencyPolicyV5', method: 'POST', path: '/v5/policies/{policy_id}/detach-agency' },
  { action: 'AttachAgencyPolicyV5', method: 'POST', path: '/v5/policies/{policy_id}/attach-agency' },
  {
    action: 'ListAttachedAgencyPoliciesV5',
    method: 'GET',
    path: '/v5/agencies/{agency_id}/attached-policies',
  },
  { action: 'ListEntitiesForPolicyV5', method: 'GET', path: '/v5/policies/{policy_id}/attached-entities' },
  { action: 'ListPoliciesV5', method: 'GET', path: '/v5/policies' },
  { action: 'GetCallerIdentity', method: 'GET', path: '/v5/caller-identity' },
] as const;

export type HuaweiAction = (typeof ROUTE_TEMPLATES)[number]['action'];

interface Route {
  action: HuaweiAction;
  method: string;
  pattern: RegExp;
  names: string[];
}

const ROUTES: readonly Route[] = ROUTE_TEMPLATES.map(({ action, method, path }) => {
  const names: string[] = [];
  const source = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { action, method, pattern: new RegExp(`^${source}$`), names };
});

export function isHuaweiPath(rawPath: string): boolean {
  return rawPath.startsWith('/v5/');
}

/**
 * The operation name, or `METHOD /path` for a request no route serves: that string then reaches
 * `unknownAction`, which tells a wrong method on a real path from a path that does not exist.
 */
export function actionOf(request: RawRequest): string {
  const route = ROUTES.find((r) => r.method === request.method && r.pattern.test(request.rawPath));
  return route?.action ?? `${request.method} ${request.rawPath}`;
}

export function isKnownPathAction(action: string): boolean {
  const path = action.slice(action.indexOf(' ') + 1);
  return ROUTES.some((r) => r.pattern.test(path));
}

/** Path parameters of the request's route, percent-decoded (a malformed escape is kept as sent). */
export function pathParams(request: RawRequest): Record<string, string> {
  const route = ROUTES.find((r) => r.method === request.method && r.pattern.test(request.rawPath));
  const match = route?.pattern.exec(request.rawPath);
  const params: Record<string, string> = {};
  route?.names.forEach((name, i) => {
    params[name] = decodeSegment(match?.[i + 1] ?? '');
  });
  return params;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
