import type { Provider } from '../../shared/requests';
import { table } from '../output';
import type { Finding, FindingStatus } from './evaluate';

export { table } from '../output';

export type Counts = Record<FindingStatus, number> & { attachments: number };

export interface ScanSummary {
  /** The eventId of every request this scan writes: `scan:<time>:<random>`. */
  scanId: string;
  providers: Provider[];
  rules: string | null;
  total: Counts;
  byProvider: Partial<Record<Provider, Counts>>;
  /** Clouds whose listing failed part-way: their counts are incomplete. */
  failed: { provider: Provider; code: string; message: string }[];
  notes: string[];
  /** Exemptions past their date: ignored, and named so that someone renews or removes them. */
  expiredExemptions: {
    rule?: string | undefined;
    when: unknown;
    reason: string;
    owner: string;
    expires: string;
  }[];
  output?: string | undefined;
}

export function emptyCounts(): Counts {
  return { attachments: 0, 'non-compliant': 0, exempt: 0, compliant: 0, unsupported: 0 };
}

export function countFindings(findings: readonly Finding[], providers: readonly Provider[]) {
  const total = emptyCounts();
  const byProvider: Partial<Record<Provider, Counts>> = {};
  for (const provider of providers) byProvider[provider] = emptyCounts();
  for (const finding of findings) {
    const counts = byProvider[finding.provider] ?? emptyCounts();
    byProvider[finding.provider] = counts;
    for (const c of [counts, total]) {
      c.attachments++;
      c[finding.status]++;
    }
  }
  return { total, byProvider };
}

/** What the ids stand for, where the cloud said: "(policy on target)". */
function target(finding: Finding): string {
  const { policy, target: on } = finding.names ?? {};
  const named = [policy, on].filter(Boolean).join(' on ');
  return named ? `${finding.target}  (${named})` : finding.target;
}

/** The readable report: counts per cloud, then every non-compliant, exempt and unsupported attachment. */
export function humanReport(findings: readonly Finding[], summary: ScanSummary): string[] {
  const lines: string[] = [];
  const rulesNote = summary.rules === null ? 'no rules file' : `rules ${summary.rules}`;
  lines.push(`Scanned ${summary.providers.join(', ')} with ${rulesNote}.`, '');
  const header = ['PROVIDER', 'ATTACHMENTS', 'NON-COMPLIANT', 'EXEMPT', 'COMPLIANT'];
  const withUnsupported = summary.total.unsupported > 0;
  if (withUnsupported) header.push('UNSUPPORTED');
  const countRow = (name: string, c: Counts) => {
    const row = [name, c.attachments, c['non-compliant'], c.exempt, c.compliant];
    if (withUnsupported) row.push(c.unsupported);
    return row.map(String);
  };
  const rows = summary.providers.map((p) => {
    const failed = summary.failed.some((f) => f.provider === p);
    return countRow(failed ? `${p} (incomplete)` : p, summary.byProvider[p] ?? emptyCounts());
  });
  lines.push(...table([header, ...rows, countRow('total', summary.total)]));

  const of = (status: FindingStatus) => findings.filter((f) => f.status === status);
  const nonCompliant = of('non-compliant');
  lines.push('');
  if (nonCompliant.length === 0) lines.push('Nothing is non-compliant.');
  else {
    const where = summary.output ? `: the requests that remove them are in ${summary.output}` : '';
    lines.push(`Non-compliant (${nonCompliant.length})${where}`);
    lines.push(
      ...table([
        ['RULE', 'OPERATION', 'TARGET'],
        ...nonCompliant.map((f) => [f.status === 'non-compliant' ? f.rule : '', f.operation, target(f)]),
      ]).map((line) => `  ${line}`),
    );
  }
  const exempt = of('exempt');
  if (exempt.length > 0) {
    lines.push('', `Exempt (${exempt.length})`);
    lines.push(
      ...table([
        ['RULE', 'OPERATION', 'TARGET', 'OWNER', 'EXPIRES', 'REASON'],
        ...exempt.map((f) =>
          f.status === 'exempt'
            ? [f.rule, f.operation, target(f), f.exemption.owner, f.exemption.expires, f.exemption.reason]
            : [],
        ),
      ]).map((line) => `  ${line}`),
    );
  }
  const unsupported = of('unsupported');
  if (unsupported.length > 0) {
    lines.push('', `Unsupported (${unsupported.length}): the cloud holds values no request accepts`);
    lines.push(
      ...table([
        ['OPERATION', 'FIELD', 'PROBLEM', 'ATTACHMENT'],
        ...unsupported.map((f) =>
          f.status === 'unsupported' ? [f.operation, f.field, f.problem, target(f)] : [],
        ),
      ]).map((line) => `  ${line}`),
    );
  }
  return lines;
}

/** The columns of `scan --output csv`: one row per attachment. */
export const FINDING_COLUMNS = [
  'status',
  'provider',
  'operation',
  'target',
  'policyName',
  'targetName',
  'rule',
  'exemptionOwner',
  'exemptionExpires',
  'exemptionReason',
  'problem',
] as const;

export function findingRecord(finding: Finding): Record<string, unknown> {
  return {
    status: finding.status,
    provider: finding.provider,
    operation: finding.operation,
    target: finding.target,
    policyName: finding.names?.policy,
    targetName: finding.names?.target,
    rule: 'rule' in finding ? finding.rule : undefined,
    exemptionOwner: finding.status === 'exempt' ? finding.exemption.owner : undefined,
    exemptionExpires: finding.status === 'exempt' ? finding.exemption.expires : undefined,
    exemptionReason: finding.status === 'exempt' ? finding.exemption.reason : undefined,
    problem: finding.status === 'unsupported' ? `${finding.field}: ${finding.problem}` : undefined,
  };
}
