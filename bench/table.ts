export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  met?: boolean;
}

export function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((r) => [
    r.name,
    `${r.unit === 'ratio' ? r.value.toFixed(3) : Math.round(r.value).toString()} ${r.unit}`,
    r.goal === undefined ? '' : `${r.goal} ${r.met ? 'met' : 'NOT met'}`,
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
