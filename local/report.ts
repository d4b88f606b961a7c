import type { DeadLetter } from '../shared/engine/dead-letters';
import type { DemoCase } from './demo';

const SECTIONS: Record<DemoCase['trigger'], string> = {
  'audit-log': 'audit-log: attach calls seen by ActionTrail, CloudAudit and CTS, remediated as they happen',
  'queue-cleanup': 'queue-cleanup: bulk cleanup through each cloud’s queue (at-least-once delivery)',
  'http-invoke': 'http-invoke: manual runs through the signed HTTP endpoint',
};

/** The report a person reads after `npm start`: each case with what was expected and what happened. */
export function formatReport(
  cases: readonly DemoCase[],
  deadLetters: readonly DeadLetter[],
  calls: { mutating: number; applied: number },
): string[] {
  const lines: string[] = [];
  for (const trigger of Object.keys(SECTIONS) as DemoCase['trigger'][]) {
    lines.push('', `  ${SECTIONS[trigger]}`);
    for (const c of cases.filter((x) => x.trigger === trigger)) {
      const ok = c.got === c.expect;
      lines.push(
        `    ${ok ? '✓' : '✗'} ${c.cloud.padEnd(8)} ${c.title.padEnd(62)} ${c.got}${ok ? '' : `   (expected ${c.expect})`}`,
      );
      if (c.detail && (!ok || c.got?.startsWith('dead-lettered') || c.got?.startsWith('skipped')))
        lines.push(`        ${c.detail}`);
    }
  }
  lines.push('', `  dead letters from this run (see them with: npx remediate dlq list):`);
  if (deadLetters.length === 0) lines.push('    none');
  for (const l of deadLetters) {
    const request = l.request as { provider?: string; operation?: string };
    const what = request.provider ? `${request.provider}/${request.operation}` : '(invalid request)';
    lines.push(`    ${l.id}  ${l.reason.padEnd(14)} ${what}: ${l.hint}`);
  }
  const good = cases.filter((c) => c.got === c.expect).length;
  lines.push(
    '',
    `  sandbox: ${calls.mutating} mutating calls, ${calls.applied} of them changed state`,
    `  ${good} of ${cases.length} cases ended as expected`,
  );
  return lines;
}
