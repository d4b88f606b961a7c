import type { Provider } from '../requests';
import type { ProviderContext, ProviderError } from './types';

/** One attachment found by a scan, as the request that would remove it. */
export interface ListedAttachment {
  /**
   * The RemediationRequest that removes the attachment, not yet validated: a cloud may hold names the
   * request schema refuses, and the caller decides what to do with those.
   */
  request: { provider: Provider; operation: string } & Record<string, unknown>;
  /** What the ids stand for, where the list call says (policy and target names), for people reading a report. */
  names?: { policy?: string | undefined; target?: string | undefined };
}

export interface ListingResult {
  attachments: ListedAttachment[];
  /** Things a reader of the scan should know: a part skipped (no resource directory), a bound reached. */
  notes: string[];
  /** The call that failed, if any; the attachments listed before it are still returned. */
  error?: ProviderError | undefined;
}

export interface ListingLimits {
  /** Pages read per list call at most (each page is the API's largest). */
  maxPages: number;
  /**
   * Makes a list call in its turn under the API's rate limit (see list-rate-limits.ts); every list call goes
   * through it. Unset: the calls are not paced (one audit record's few reads).
   */
  pace?: (<T>(provider: Provider, api: string, call: () => Promise<T>) => Promise<T>) | undefined;
}

/** A list call, through the caller's pace when it has one. */
export function paced<T>(
  limits: ListingLimits,
  provider: Provider,
  api: string,
  call: () => Promise<T>,
): Promise<T> {
  return limits.pace ? limits.pace(provider, api, call) : call();
}

export const DEFAULT_LISTING_LIMITS: ListingLimits = { maxPages: 50 };

/** Lists every attachment of one cloud that a remediation operation can remove. */
export interface AttachmentLister {
  /** The cloud permissions the listing needs: a read-only scan role is generated from these. */
  permissions: readonly string[];
  list(context: ProviderContext, limits?: ListingLimits): Promise<ListingResult>;
}

/**
 * Reads every page of a paged list within the bound: `fetch(page)` returns the page's items and whether
 * another follows. Stops at the bound with a note, never loops on a list that keeps growing.
 */
export async function readPages<T, C>(
  first: C,
  fetch: (cursor: C) => Promise<{ items: T[]; next: C | undefined }>,
  maxPages: number,
  what: string,
  notes: string[],
): Promise<T[]> {
  const all: T[] = [];
  let cursor: C | undefined = first;
  for (let page = 0; cursor !== undefined; page++) {
    if (page >= maxPages) {
      notes.push(`${what}: stopped after ${maxPages} pages (${all.length} items); the rest was not read`);
      break;
    }
    const { items, next } = await fetch(cursor);
    all.push(...items);
    cursor = items.length === 0 ? undefined : next;
  }
  return all;
}
