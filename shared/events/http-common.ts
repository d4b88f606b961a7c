import * as z from 'zod';
import { fromBase64, isObject } from './common';
import { InvalidEventError } from './types';

/** What the three HTTP trigger parsers share: headers and body as the platforms encode them. */

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

/** A header's value: text, or a list of texts (one level deep) joined with ','. */
function headerValue(value: unknown): string | undefined {
  if (!Array.isArray(value)) return scalar(value);
  const parts = Array.from(value, scalar).filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** Header names lower-cased (API gateways keep the client's casing); multi-valued headers joined with ','. */
export function httpHeaders(value: unknown, field = 'headers'): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new InvalidEventError(field, 'must be an object of header names to values');
  const merged = new Map<string, string>();
  for (const [name, raw] of Object.entries(value)) {
    const text = headerValue(raw);
    if (text === undefined) continue;
    const key = name.toLowerCase();
    const before = merged.get(key);
    merged.set(key, before === undefined ? text : `${before},${text}`);
  }
  // fromEntries defines own properties, so a header named `__proto__` stays a header.
  return Object.fromEntries(merged);
}

/**
 * The raw body text. A body flagged base64 is decoded; one flagged base64 that is not base64 (Huawei's APIG
 * template sends plain JSON with `isBase64Encoded: true`) is taken as sent, since decoding it would garble it.
 */
export function httpBody(body: unknown, isBase64Encoded: unknown, field = 'body'): string {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') throw new InvalidEventError(field, 'must be a string');
  if (isBase64Encoded !== true && isBase64Encoded !== 'true') return body;
  return fromBase64(body) ?? body;
}

/** An HTTP method in any case, upper-cased. */
export const methodSchema = z
  .string('must be an HTTP method')
  .regex(/^[A-Za-z]{1,16}$/, 'must be an HTTP method')
  .transform((method) => method.toUpperCase());

/** A body is text (or absent); the parsers decode base64 with `httpBody`. */
export const bodySchema = z.string('must be a string').nullish();

/** `isBase64Encoded` as a boolean or its text; anything else counts as not encoded. */
export const base64FlagSchema = z.union([z.boolean(), z.string()]).optional().catch(undefined);

/** A path, '/' when the platform leaves it empty. */
export const pathSchema = z
  .string('must be a string')
  .nullish()
  .transform((path) => path || '/');
