import type { Outcome, OutcomeStatus } from '../../shared/outcomes';
import { csv, markdownTable, table } from '../output';

/**
 * What became of one line of a bulk run: the engine's outcome, `invalid` (left out by --skip-invalid),
 * `failed` (the engine threw) or `not-started` (the run stopped before it).
 */
export type LineStatus = OutcomeStatus | 'invalid' | 'failed' | 'not-started';

export interface LineResult {
  line: number;
  status: LineStatus;
  outcome?: Outcome;
  /** Why the engine could not carry the line (failed), or why the run stopped before it (not-started). */
  error?: string;
}

/** One flat record per line: the shape of `--output csv`, the report files and the not-done list. */
export interface LineRecord {
  line: number;
  status: LineStatus;
  reason?: string | undefined;
  operation?: string | undefined;
  target?: string | undefined;
  attempts?: number | undefined;
  durationMs?: number | undefined;
  /** The thing an explicit order named that does not exist. */
  missing?: string | undefined;
  /** Set when the outcome was replayed from the state store, without a call. */
  replayed?: string | undefined;
  code?: string | undefined;
  hint?: string | undefined;
  deadLetterId?: string | undefined;
}

export const RECORD_COLUMNS: readonly (keyof LineRecord)[] = [
  'line',
  'status',
  'reason',
  'operation',
  'target',
  'attempts',
  'durationMs',
  'missing',
  'replayed',
  'code',
  'hint',
  'deadLetterId',
];

export interface RunSummary {
  runId: string;
  total: number;
  counts: Partial<Record<LineStatus, number>>;
  /** Lines that did not end done: dead-lettered, retry-later, failed, not started, or naming a missing thing. */
  notDone: number;
  replayed: number;
  durationMs: number;
}

/** "replayed from <time>, no call": a repeated delivery answered from the store. */
export function replayNote(outcome: Outcome | undefined): string | undefined {
  if (!outcome?.duplicate) return undefined;
  return `replayed from ${outcome.settledAt ?? 'an earlier run'}, no call`;
}

/** Done means settled with the effect wanted: detached, deleted, already compliant or skipped, nothing missing. */
export function isDone(result: LineResult): boolean {
  const status = result.status;
  const settled =
    status === 'detached' || status === 'deleted' || status === 'already-compliant' || status === 'skipped';
  return settled && result.outcome?.missing === undefined;
}

export function toRecord(result: LineResult): LineRecord {
  const o = result.outcome;
  return {
    line: result.line,
    status: result.status,
    reason: o?.reason,
    operation: o?.operation,
    target: o?.target,
    attempts: o?.attempts,
    durationMs: o?.durationMs,
    missing: o?.missing,
    replayed: replayNote(o),
    code: o?.error?.code,
    hint: o?.hint ?? result.error,
    deadLetterId: o?.deadLetterId,
  };
}

export function summarize(runId: string, results: readonly LineResult[], durationMs: number): RunSummary {
  const counts: Partial<Record<LineStatus, number>> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return {
    runId,
    total: results.length,
    counts,
    notDone: results.filter((r) => !isDone(r)).length,
    replayed: results.filter((r) => r.outcome?.duplicate).length,
    durationMs,
  };
}

/** The counts on one line: "total: 6  detached: 2  dead-lettered: 3 … durationMs: 412". */
export function summaryLine(summary: RunSummary): string {
  const parts: [string, number][] = [['total', summary.total], ...Object.entries(summary.counts)] as [
    string,
    number,
  ][];
  if (summary.replayed > 0) parts.push(['replayed', summary.replayed]);
  parts.push(['durationMs', summary.durationMs]);
  return parts.map(([k, v]) => `${k}: ${v}`).join('  ');
}

/** The machine summary line: the counts flat, as before, plus the run id and what was not done. */
export function summaryObject(summary: RunSummary) {
  return {
    runId: summary.runId,
    total: summary.total,
    ...summary.counts,
    notDone: summary.notDone,
    replayed: summary.replayed,
    durationMs: summary.durationMs,
  };
}

/** Why a line is not done, in one phrase. */
function problem(record: LineRecord): string {
  if (record.status === 'failed' || record.status === 'invalid') return record.status;
  if (record.status === 'not-started') return 'not started';
  if (record.missing !== undefined) return `${record.status}, but ${record.missing} does not exist`;
  return record.reason ? `${record.status} (${record.reason})` : record.status;
}

/** Every line not done, with its line number, target, reason and hint: what a person must look at. */
export function notDoneReport(results: readonly LineResult[]): string[] {
  const records = results.filter((r) => !isDone(r)).map(toRecord);
  if (records.length === 0) return [];
  const title = records.length === 1 ? '1 line not done:' : `${records.length} lines not done:`;
  const lines = [title];
  for (const r of records) {
    lines.push(`  line ${r.line}: ${problem(r)}  ${r.operation ?? ''}  ${r.target ?? ''}`.trimEnd());
    if (r.hint) lines.push(`    ${r.hint}`);
  }
  return lines;
}

/** The per-line table a person reads after a run. */
export function humanTable(results: readonly LineResult[]): string[] {
  const rows = results
    .map(toRecord)
    .map((r) => [
      String(r.line),
      r.status,
      r.operation ?? '',
      r.target ?? '',
      [r.reason, r.missing && `missing ${r.missing}`, r.replayed].filter(Boolean).join('; '),
    ]);
  return table([['LINE', 'STATUS', 'OPERATION', 'TARGET', 'NOTE'], ...rows]);
}

export function recordsCsv(results: readonly LineResult[]): string {
  return csv(RECORD_COLUMNS, results.map(toRecord) as unknown as Record<string, unknown>[]);
}

export function recordsMarkdown(results: readonly LineResult[]): string[] {
  return markdownTable(RECORD_COLUMNS, results.map(toRecord) as unknown as Record<string, unknown>[]);
}
