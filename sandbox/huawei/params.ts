import type { RawRequest } from '../types';
import { iamErrors } from './errors';

// Seed 002 and every v5 id in the SDK docs: "1 to 64 characters, only letters, digits and hyphens".
const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
// IamClient.js: "marker … 4 to 400 characters, letters, digits, '+', '/', '=', '-' and '_'".
const MARKER_PATTERN = /^[A-Za-z0-9+/=_-]{4,400}$/;
// IamClient.js: "limit … 1 to 200, default 100".
export const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 200;

export function requireId(value: string | undefined, key: string): string {
  if (value === undefined || !ID_PATTERN.test(value)) throw iamErrors.invalidParameter(key);
  return value;
}

/** The JSON object body; anything that is not one is the classic "Request body is invalid." */
export function jsonBody(request: RawRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw iamErrors.invalidBody();
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw iamErrors.invalidBody();
  return body as Record<string, unknown>;
}

/** A required id field of the body: absent → IAM.0072, present but malformed → IAM.0007. */
export function requireBodyId(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (value === undefined || value === null) throw iamErrors.requiredProperty(key);
  if (typeof value !== 'string') throw iamErrors.invalidParameter(key);
  return requireId(value, key);
}

export function queryOf(request: RawRequest): URLSearchParams {
  return new URLSearchParams(request.rawQuery);
}

export interface PageQuery {
  limit: number;
  marker?: string | undefined;
}

export function pageQuery(query: URLSearchParams): PageQuery {
  const rawLimit = query.get('limit');
  let limit = DEFAULT_LIMIT;
  if (rawLimit !== null) {
    limit = Number(rawLimit);
    if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > MAX_LIMIT) throw iamErrors.invalidParameter('limit');
  }
  const marker = query.get('marker') ?? undefined;
  if (marker !== undefined && !MARKER_PATTERN.test(marker)) throw iamErrors.invalidMarker();
  return { limit, marker };
}

/** An optional enumerated query parameter; an unknown value is IAM.0007 like any invalid parameter. */
export function optionalEnum<T extends string>(
  query: URLSearchParams,
  key: string,
  values: readonly T[],
): T | undefined {
  const value = query.get(key);
  if (value === null) return undefined;
  if (!(values as readonly string[]).includes(value)) throw iamErrors.invalidParameter(key);
  return value as T;
}
