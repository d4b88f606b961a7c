import type { AuditHint } from '../events/types';
import type { ListedAttachment } from '../providers/listing';
import type { ProviderContext, ProviderError } from '../providers/types';

/**
 * What the cloud says is attached where an audit event points: the attachments of the named target (only the
 * named policy's, when the event names one), or the named policy's attachments when the event names no target.
 * The same list calls `scan` makes, narrowed to one target or policy.
 */
export type TargetRead =
  | { ok: true; attachments: ListedAttachment[]; notes: string[] }
  | { ok: false; error: ProviderError };

/** One cloud's reader; a function bundle carries only its own cloud's. */
export type TargetReader = (hint: AuditHint, context: ProviderContext) => Promise<TargetRead>;

/** Pages read per list call at most while reconciling one event (each page is the API's largest). */
export const MAX_PAGES = 20;
