import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { UsageError } from '../errors';
import {
  type LineResult,
  notDoneReport,
  type RunSummary,
  recordsCsv,
  recordsMarkdown,
  summaryLine,
  summaryObject,
  toRecord,
} from './results';

const FORMATS = { '.json': 'json', '.csv': 'csv', '.md': 'markdown' } as const;
type ReportFormat = (typeof FORMATS)[keyof typeof FORMATS];

export interface RunReport {
  file: string;
  startedAt: string;
  finishedAt: string;
  summary: RunSummary;
  results: readonly LineResult[];
}

/** The format `--report FILE` asks for, by extension; checked before the run so a typo costs nothing. */
export function reportFormat(path: string): ReportFormat {
  const format = FORMATS[extname(path).toLowerCase() as keyof typeof FORMATS];
  if (!format) throw new UsageError(`--report ${path}: must end in .json, .csv or .md`);
  return format;
}

/** Writes the run's outcomes for a change ticket: JSON (everything), CSV (one row a line) or Markdown. */
export function writeReport(path: string, report: RunReport): void {
  writeFileSync(path, render(reportFormat(path), report));
}

function render(format: ReportFormat, report: RunReport): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(
        {
          file: report.file,
          startedAt: report.startedAt,
          finishedAt: report.finishedAt,
          summary: summaryObject(report.summary),
          lines: report.results.map(toRecord),
        },
        null,
        2,
      )}\n`;
    case 'csv':
      return recordsCsv(report.results);
    case 'markdown':
      return `${[
        `# remediate run ${report.summary.runId}`,
        '',
        `- file: \`${report.file}\``,
        `- started: ${report.startedAt}, finished: ${report.finishedAt}`,
        `- ${summaryLine(report.summary)}`,
        '',
        ...notDoneSection(report.results),
        '## Lines',
        '',
        ...recordsMarkdown(report.results),
      ].join('\n')}\n`;
  }
}

function notDoneSection(results: readonly LineResult[]): string[] {
  const lines = notDoneReport(results);
  if (lines.length === 0) return ['Every line is done.', ''];
  return ['## Not done', '', '```', ...lines, '```', ''];
}
