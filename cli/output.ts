import type { Outcome } from '../shared/outcomes';

/** One readable line (and its hint) for a person, or the outcome object as the last line for a program. */
export function printOutcome(outcome: Outcome, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(outcome));
    return;
  }
  const reason = outcome.reason ? ` (${outcome.reason})` : '';
  const attempts = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}, ${outcome.durationMs} ms`;
  console.log(`${outcome.status}${reason}  ${outcome.operation}  ${outcome.target}  [${attempts}]`);
  if (outcome.replacedWith) console.log(`  replaced with the fallback policy ${outcome.replacedWith}`);
  if (outcome.missing) console.log(`  not found: ${outcome.missing}`);
  if (outcome.error && outcome.status !== 'already-compliant') {
    console.log(`  ${outcome.error.provider} ${outcome.error.code}: ${outcome.error.message}`);
  }
  if (outcome.hint) console.log(`  ${outcome.hint}`);
}

/** How a command that prints records prints them: aligned columns for a person, JSON lines, or CSV. */
export const OUTPUT_FORMATS = ['table', 'json', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** Columns padded to their widest cell; the last column is left as it is. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** RFC 4180 CSV: a header row, then one row per record; cells with commas, quotes or newlines are quoted. */
export function csv(columns: readonly string[], records: readonly Record<string, unknown>[]): string {
  const cell = (value: unknown): string => {
    const text = value === undefined || value === null ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rows = [columns, ...records.map((record) => columns.map((c) => record[c]))];
  return rows
    .map((row) => row.map(cell).join(','))
    .join('\r\n')
    .concat('\r\n');
}

/** A GitHub-flavoured Markdown table; pipes and newlines inside cells are escaped. */
export function markdownTable(
  columns: readonly string[],
  records: readonly Record<string, unknown>[],
): string[] {
  const cell = (value: unknown) =>
    (value === undefined || value === null ? '' : String(value))
      .replaceAll('|', '\\|')
      .replace(/\r?\n/g, ' ');
  return [
    `| ${columns.join(' | ')} |`,
    `|${columns.map(() => ' --- ').join('|')}|`,
    ...records.map((record) => `| ${columns.map((c) => cell(record[c])).join(' | ')} |`),
  ];
}
