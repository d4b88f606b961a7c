import type { RawRequest } from '../types';
import { header } from './auth';
import { gatewayErrors, tencentCommonErrors, tencentError } from './errors';
import { v1ParamsOf } from './v1-auth';
import { V1_COMMON_PARAMS } from './v1-signature';

/**
 * The gateway's view of an action's parameters: unknown names, missing required ones and wrong JSON
 * types are refused before the service sees the call. POST carries JSON (TC3 signs it as such);
 * GET carries the same fields flattened into the query string, every value a string.
 */
export interface FieldSpec {
  type: 'integer' | 'string';
  required?: boolean;
}
export type ParamSpec = Readonly<Record<string, FieldSpec>>;

type ValueOf<F extends FieldSpec> = F['type'] extends 'integer' ? number : string;
export type Params<S extends ParamSpec> = {
  [K in keyof S as S[K]['required'] extends true ? K : never]: ValueOf<S[K]>;
} & {
  [K in keyof S as S[K]['required'] extends true ? never : K]?: ValueOf<S[K]>;
};

/** The raw name → value map, or an error for a body the gateway cannot read. */
export function rawParams(request: RawRequest): Record<string, unknown> {
  // v1 requests carry the common parameters beside the action's own; the action never sees them.
  const v1 = v1ParamsOf(request);
  if (v1) return Object.fromEntries(Object.entries(v1).filter(([name]) => !V1_COMMON_PARAMS.has(name)));
  if (request.method === 'GET') return Object.fromEntries(new URLSearchParams(request.rawQuery));
  const contentType = (header(request, 'content-type') ?? '').toLowerCase();
  if (!contentType.startsWith('application/json')) {
    throw tencentError(
      'InvalidParameter',
      `Content-Type \`${contentType || '(none)'}\` is not supported with TC3-HMAC-SHA256; use application/json.`,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw tencentCommonErrors.malformed(
      'for content-type application/json the request body is not valid JSON',
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw tencentCommonErrors.malformed('the request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

export function readParams<S extends ParamSpec>(request: RawRequest, spec: S): Params<S> {
  const raw = rawParams(request);
  // Flattened parameters (a GET query, a v1 form body) carry every value as a string.
  const fromQuery = request.method === 'GET' || v1ParamsOf(request) !== undefined;
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(spec, name)) throw gatewayErrors.unknownParameter(name);
  }
  const out: Record<string, number | string> = {};
  for (const [name, field] of Object.entries(spec)) {
    const value = raw[name];
    if (value === undefined) {
      if (field.required) throw gatewayErrors.missingParameter(name);
      continue;
    }
    out[name] = field.type === 'integer' ? integerOf(name, value, fromQuery) : stringOf(name, value);
  }
  return out as Params<S>;
}

/** Integers in this API are unsigned 64-bit; the sandbox keeps them within the exact JSON range. */
function integerOf(name: string, value: unknown, fromQuery: boolean): number {
  const n = fromQuery && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw gatewayErrors.wrongType(name, 'Integer');
  return n;
}

function stringOf(name: string, value: unknown): string {
  if (typeof value !== 'string') throw gatewayErrors.wrongType(name, 'String');
  return value;
}

/** A value outside an enumeration, with the code the action documents for it. */
export function oneOf<T extends string>(
  value: string,
  allowed: readonly T[],
  name: string,
  code: 'InvalidParameter.ParamError' | 'InvalidParameterValue',
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw tencentError(
    code,
    `The value \`${value}\` of parameter \`${name}\` is invalid; expected one of ${allowed.join(', ')}.`,
  );
}
