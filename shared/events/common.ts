import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { firstIssue } from '../zod-errors';
import { InvalidEventError } from './types';

/**
 * Small helpers shared by the event parsers: decoding what the platforms hand over, the tolerant reads the
 * reference notes call for (a field that is a JSON string on one delivery and an object on another), and the
 * conversion of a zod failure into the InvalidEventError the handlers answer with.
 */

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** FC hands events over as a Buffer of JSON; local runs pass a string or the object itself. */
export function decodeEvent(event: unknown): unknown {
  const text =
    Buffer.isBuffer(event) || event instanceof Uint8Array ? Buffer.from(event).toString('utf8') : event;
  if (typeof text !== 'string') return event;
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidEventError('event', 'must be JSON');
  }
}

/** A value that may arrive as an object or as its JSON text; anything else is `undefined`. */
export function objectOrJson(value: unknown): Json | undefined {
  if (isObject(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The value of the first of `names` present in `object`, matching key names case-insensitively. */
export function pick(object: Json | undefined, ...names: string[]): unknown {
  if (!object) return undefined;
  for (const name of names) {
    if (Object.hasOwn(object, name)) return object[name];
    const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined) return object[key];
  }
  return undefined;
}

/** Ids that are strings in one record and numbers in another: safe integers become digit strings. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** Lower-cased, letters and digits only: `attachAgencyPolicyV5`, `attach_agency_policy_v5` compare equal. */
export const normalizeName = (value: unknown): string =>
  typeof value === 'string' ? value.toLowerCase().replace(/[^a-z0-9]/g, '') : '';

/** The most levels of nesting any event or request we read needs; deeper JSON is refused, never walked. */
export const MAX_DEPTH = 64;

/** Whether `value` nests objects or arrays deeper than `max` levels; iterative, so any depth is safe. */
export function nestsDeeperThan(value: unknown, max = MAX_DEPTH): boolean {
  const seen = new WeakSet<object>();
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null || ArrayBuffer.isView(node) || seen.has(node)) continue;
    if (depth >= max) return true;
    seen.add(node);
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

/** How much of an unreadable input a dead letter keeps. */
export const KEPT_CHARS = 16 * 1024;

/**
 * An input as a dead letter may keep it: itself when small and shallow; otherwise a note of what it was and
 * the first KEPT_CHARS characters of its text, so no record holds megabytes or JSON too deep to store.
 */
export function keptForDeadLetter(value: unknown): unknown {
  if (nestsDeeperThan(value)) return { unreadable: `nested deeper than ${MAX_DEPTH} levels; not kept` };
  const text = contentText(value);
  if (text.length <= KEPT_CHARS) return value;
  return { truncated: text.slice(0, KEPT_CHARS), length: text.length };
}

/** The text a value is hashed by: itself when a string, its JSON otherwise (never throws). */
export function contentText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** Stable id of a record that carries none: the same delivery always hashes to the same id. */
export const contentId = (prefix: string, value: unknown): string =>
  `${prefix}:${sha256(contentText(value))}`;

// Base64 letters then at most two '=': a plain character-class loop, which (unlike a repeated group of four)
// needs no backtracking stack, so any length is safe; whole quads come from the length check.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (padding included) to UTF-8 text, or `undefined` when `text` is not base64. */
export function fromBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}

const INVALID_JSON_KEEP = 1000;

/**
 * A queue message body: its JSON value, the decoded JSON when a trigger left it base64-encoded, or
 * `{ invalidJson }` so the engine dead-letters it as invalid input. An object body is taken as it is.
 */
export function queueBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  for (const text of [body, fromBase64(body)]) {
    if (text === undefined || text.trim() === '') continue;
    try {
      return JSON.parse(text);
    } catch {
      // try the next reading
    }
  }
  return { invalidJson: body.slice(0, INVALID_JSON_KEEP) };
}

/** The first zod issue as the InvalidEventError the handlers answer with. */
export function invalidEvent(error: z.ZodError, prefix = ''): InvalidEventError {
  const { path, rule } = firstIssue(error);
  const written = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const field = `${prefix}${written}`.replace(/^\./, '') || 'event';
  return new InvalidEventError(field, rule);
}

/** Parse with a schema or throw the InvalidEventError naming the first bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidEvent(parsed.error, prefix);
  return parsed.data;
}

/** Drops keys whose value is undefined, so the engine names a missing field as missing. */
export function defined(object: Json): Json {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}
