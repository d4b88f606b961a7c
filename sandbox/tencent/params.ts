import type { RawRequest } from '../types';
import { header } from './auth';
import { tencentCommonErrors, tencentError } from './errors';
import { v1ParamsOf } from './v1-auth';
import { V1_COMMON_PARAMS } from './v1-signature';

/**
 * What an API's schema reads: the name → value map, and whether it came flattened (a GET query or a v1
 * form, every value a string) rather than as TC3's JSON body.
 */
export function paramsInput(request: RawRequest): { raw: Record<string, unknown>; flattened: boolean } {
  const raw = rawParams(request);
  return { raw, flattened: request.method === 'GET' || v1ParamsOf(request) !== undefined };
}

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
