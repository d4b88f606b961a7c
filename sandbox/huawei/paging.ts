import type { PageQuery } from './api';
import { iamErrors } from './errors';

/** The SDK's PageInfo: `next_marker` only while more items remain. */
export interface PageInfo {
  current_count: number;
  next_marker?: string;
}

const MARKER_PREFIX = 'after:';

/**
 * Pages by key rather than by position, so an item detached between two page calls neither shifts
 * the rest nor makes the caller miss one. The marker is base64 (within the documented alphabet).
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, query: PageQuery) {
  const after = query.marker === undefined ? undefined : decodeMarker(query.marker);
  const sorted = [...items].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const remaining = after === undefined ? sorted : sorted.filter((item) => compare(keyOf(item), after) > 0);
  const page = remaining.slice(0, query.limit);
  const last = page[page.length - 1];
  const pageInfo: PageInfo = { current_count: page.length };
  if (remaining.length > page.length && last !== undefined) pageInfo.next_marker = encodeMarker(keyOf(last));
  return { page, pageInfo };
}

export function encodeMarker(key: string): string {
  return Buffer.from(`${MARKER_PREFIX}${key}`, 'utf8').toString('base64');
}

function decodeMarker(marker: string): string {
  const text = Buffer.from(marker, 'base64').toString('utf8');
  if (!text.startsWith(MARKER_PREFIX) || encodeMarker(text.slice(MARKER_PREFIX.length)) !== marker)
    throw iamErrors.invalidMarker();
  return text.slice(MARKER_PREFIX.length);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
