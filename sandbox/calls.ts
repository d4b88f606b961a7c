import type { Cloud } from './clouds';

export interface CallRecord {
  seq: number;
  at: string;
  cloud: Cloud;
  action: string;
  account: string;
  accessKeyId: string;
  mutating: boolean;
  /** True when the call changed the world (a mutating call that succeeded). */
  applied: boolean;
  httpStatus: number;
  /** Vendor error code when the call failed; absent on success. */
  code?: string;
  /** Injected fault, if one hit this call. */
  fault?: string;
  requestId: string;
  /** A mutating call's parameters (never credentials): what an audit trail would record. */
  params: unknown;
}

export interface CallFilter {
  cloud?: string | undefined;
  action?: string | undefined;
  mutating?: boolean | undefined;
}

export interface CallCounts {
  total: number;
  read: number;
  mutating: number;
  applied: number;
  byAction: Record<string, { total: number; applied: number; errors: number }>;
}

/** Bounded log of authenticated calls, so long benchmarks cannot grow the sandbox without limit. */
export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;
  private readonly counts: CallCounts = emptyCounts();

  constructor(private readonly capacity = 100_000) {}

  add(record: Omit<CallRecord, 'seq'>): CallRecord {
    const full = { ...record, seq: ++this.seq };
    this.records.push(full);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
    this.count(full);
    return full;
  }

  list(filter: CallFilter = {}): CallRecord[] {
    return this.records.filter(
      (r) =>
        (filter.cloud === undefined || r.cloud === filter.cloud) &&
        (filter.action === undefined || r.action === filter.action) &&
        (filter.mutating === undefined || r.mutating === filter.mutating),
    );
  }

  /** Counts cover every call since the last clear, even those the bounded list has dropped. */
  totals(): CallCounts {
    return structuredClone(this.counts);
  }

  clear(): void {
    this.records = [];
    Object.assign(this.counts, emptyCounts());
  }

  private count(record: CallRecord): void {
    this.counts.total += 1;
    if (record.mutating) this.counts.mutating += 1;
    else this.counts.read += 1;
    if (record.applied) this.counts.applied += 1;
    const key = `${record.cloud}:${record.action}`;
    const entry = this.counts.byAction[key] ?? { total: 0, applied: 0, errors: 0 };
    entry.total += 1;
    if (record.applied) entry.applied += 1;
    if (record.code !== undefined) entry.errors += 1;
    this.counts.byAction[key] = entry;
  }
}

function emptyCounts(): CallCounts {
  return { total: 0, read: 0, mutating: 0, applied: 0, byAction: {} };
}
