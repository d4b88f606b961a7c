import { decodeEvent, isObject, keptForDeadLetter, pick } from './common';
import type { AuditParse } from './types';

/**
 * What the three audit parsers share: one record or a batch of them, each parsed on its own so one odd record
 * never hides the others, and no exception ever escapes (an audit parser answers `ignored` instead).
 */

export function eachAuditRecord(
  event: unknown,
  parseOne: (record: unknown) => AuditParse,
  batchKey?: string,
): AuditParse[] {
  let decoded: unknown;
  try {
    decoded = decodeEvent(event);
  } catch {
    return [{ kind: 'ignored', reason: 'event is not JSON' }];
  }
  // A batch is an array, or (Tencent EventBridge batch delivery) an object holding one under `batchKey`.
  const wrapped = batchKey !== undefined && isObject(decoded) ? pick(decoded, batchKey) : undefined;
  const batch = Array.isArray(wrapped) ? wrapped : decoded;
  // Array.from fills the holes of a sparse array, so every element is answered for.
  const records: unknown[] = Array.isArray(batch) ? Array.from(batch) : [batch];
  return records.map((record) => {
    try {
      return parseOne(record);
    } catch (error) {
      const message = error instanceof Error ? error.message : 'unknown error';
      return { kind: 'ignored', reason: `unreadable record: ${message.slice(0, 200)}` };
    }
  });
}

export const ignored = (reason: string, eventId?: string): AuditParse =>
  eventId === undefined ? { kind: 'ignored', reason } : { kind: 'ignored', eventId, reason };

/** An attach call of ours that names no target we can read: dead-lettered with the record (kept bounded). */
export const unreadable = (eventId: string, reason: string, record: unknown): AuditParse => ({
  kind: 'unreadable',
  eventId,
  reason,
  record: keptForDeadLetter(record),
});

/** Thrown by `checked` when a field the record carries breaks its shape; the parsers answer `unreadable`. */
export class BadField extends Error {}

/**
 * A text id from an event, checked against its shape: `undefined` when absent, BadField when present but
 * malformed (so a garbled record is dead-lettered, never read as "any target").
 */
export function checked(value: unknown, pattern: RegExp, field: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !pattern.test(text))
    throw new BadField(`${field} ${shown(value)} is malformed`);
  return text;
}

/** The error code of a failed call, or `undefined` when the value says success (absent, empty, 0, "0"). */
export function failureCode(value: unknown): string | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value === 'number') return value === 0 ? undefined : String(value);
  if (typeof value === 'string') {
    const code = value.trim();
    return code === '' || code === '0' ? undefined : code.slice(0, 100);
  }
  return 'present';
}

/** A short, printable rendering of a value from an event, for ignore reasons and log lines. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return typeof value;
}
