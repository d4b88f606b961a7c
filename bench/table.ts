export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The goal as printed ("<= 1.05"), or "reported" for a figure with no threshold. */
  goal?: string;
  met?: boolean;
}

/** How a row's verdict is printed: "met", "NOT met", "reported", or nothing for a plain figure. */
export function verdict(row: BenchRow): string {
  if (row.goal === undefined) return '';
  if (row.goal === 'reported') return 'reported';
  return row.met ? 'met' : 'NOT met';
}

export function formatValue(row: BenchRow): string {
  const digits = row.unit === 'ratio' ? 3 : Math.abs(row.value) < 10 && !Number.isInteger(row.value) ? 2 : 0;
  return `${row.value.toFixed(digits)} ${row.unit}`;
}

export function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((r) => [
    r.name,
    formatValue(r),
    r.goal === undefined ? '' : r.goal === 'reported' ? 'reported' : `${r.goal} ${verdict(r)}`,
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...cells.map((c) => c[i]?.length ?? 0)));
  return cells
    .map((c) =>
      c
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
