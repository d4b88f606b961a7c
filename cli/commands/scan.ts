import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, readEnvironment } from '../../shared/config/environment';
import { loadRules } from '../../shared/config/load-rules';
import { expiredExemptions } from '../../shared/engine/rules';
import { ATTACHMENT_LISTERS } from '../../shared/providers/listers';
import { DEFAULT_LISTING_LIMITS, type ListingResult } from '../../shared/providers/listing';
import type { ProviderContext } from '../../shared/providers/types';
import { evaluate, type Finding } from '../../shared/reconcile/evaluate';
import { PROVIDERS, type Provider } from '../../shared/requests';
import { openStateStore } from '../../shared/state/open';
import { EXIT, UsageError } from '../errors';
import { csv, isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../output';
import { providerContext } from '../runtime';
import { listPacer } from '../scan/pace';
import { countFindings, FINDING_COLUMNS, findingRecord, humanReport, type ScanSummary } from '../scan/report';

interface ScanOptions {
  rules?: string;
  provider?: string;
  /** Each --output is a format (table, json, csv) or the file to write the requests to. */
  output?: string[];
  json?: boolean;
}

export function registerScan(program: Command): void {
  program
    .command('scan')
    .description(
      'list the policy attachments of each cloud, evaluate the rules and exemptions, report what is non-compliant',
    )
    .option('--rules <file>', 'rules file, YAML or JSON (default: REMEDIATE_RULES)')
    .option('--provider <provider>', `scan only this cloud: ${PROVIDERS.join(', ')}`)
    .option(
      '--output <file|format>',
      `FILE.jsonl: write the requests that remove the non-compliant attachments, one JSON line each (input of run or the queue); ${OUTPUT_FORMATS.join('|')}: how to print the attachments (may be given twice)`,
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--json', 'same as --output json: one JSON line per attachment and a summary line last')
    .addHelpText(
      'after',
      '\nAn attachment is non-compliant when a rule selects the request that removes it, exempt when a live\n' +
        'exemption covers that request, compliant otherwise. Without --provider every cloud whose credentials\n' +
        'are set is scanned. Each line written by --output carries an eventId unique to this scan: running the\n' +
        'file twice acts once, a new scan acts again. Expired exemptions are named on stderr (and ignored).\n' +
        'Exit code 0: scan complete; 1: a cloud could not be listed completely; 2: bad usage.\n\n' +
        'Example:\n' +
        '  remediate scan --rules rules.yaml --output non-compliant.jsonl && remediate run non-compliant.jsonl',
    )
    .action((options: ScanOptions) => scan(options));
}

async function scan(options: ScanOptions): Promise<void> {
  const environment = readEnvironment(process.env);
  if (options.provider !== undefined && !(PROVIDERS as readonly string[]).includes(options.provider)) {
    throw new UsageError(`--provider: must be one of ${PROVIDERS.join(', ')}`);
  }
  const { format, file: outputFile } = outputOptions(options);
  const rulesPath = options.rules ?? environment.REMEDIATE_RULES;
  const rules = loadRules(rulesPath);
  const contexts = contextsFor(options.provider as Provider | undefined, environment);
  // Fail before any call when the output cannot be written.
  let output: number | undefined;
  if (outputFile !== undefined) {
    try {
      output = openSync(outputFile, 'w');
    } catch (error) {
      throw new UsageError(`--output ${outputFile}: ${(error as Error).message}`);
    }
  }
  if (rulesPath === undefined) {
    console.error('remediate scan: no rules file (--rules or REMEDIATE_RULES): no rule selects anything');
  } else if (rules.rules.length === 0) {
    console.error(`remediate scan: ${rulesPath} has no rules: no rule selects anything`);
  }
  const now = new Date();
  const expired = expiredExemptions(rules, now);
  for (const e of expired) {
    const scope = e.rule === undefined ? 'every rule' : `rule ${e.rule}`;
    console.error(
      `remediate scan: warning: the exemption for ${scope} when ${JSON.stringify(e.when)} (owner ${e.owner}: ${e.reason}) expired on ${e.expires} and is ignored`,
    );
  }

  const providers = contexts.map(([provider]) => provider);
  const progress = format === 'table' && process.stderr.isTTY;
  if (progress) process.stderr.write(`scanning ${providers.join(', ')}…\n`);
  // The list calls wait for the shared rate limiter, as detaches do: the store is the one they share.
  const store = openStateStore(environment.REMEDIATE_STATE);
  let listings: [Provider, ListingResult][];
  try {
    const byProvider = new Map(contexts);
    const limits = {
      ...DEFAULT_LISTING_LIMITS,
      pace: listPacer(store, (provider) => byProvider.get(provider) as ProviderContext),
    };
    listings = await Promise.all(
      contexts.map(async ([provider, context]): Promise<[Provider, ListingResult]> => {
        const result = await ATTACHMENT_LISTERS[provider].list(context, limits);
        if (progress) process.stderr.write(`  ${provider}: ${result.attachments.length} attachments\n`);
        return [provider, result];
      }),
    );
  } finally {
    await store.close();
  }

  const findings: Finding[] = [];
  const summary: ScanSummary = {
    scanId: scanId(now),
    providers,
    rules: rulesPath ?? null,
    ...countFindings([], providers),
    failed: [],
    notes: [],
    expiredExemptions: expired.map((e) => ({ ...e })),
  };
  for (const [provider, result] of listings) {
    for (const listed of result.attachments) findings.push(evaluate(listed, rules, now));
    summary.notes.push(...result.notes);
    if (result.error) {
      const { code, httpStatus, message, errorClass } = result.error;
      summary.failed.push({ provider, code, message });
      const hint =
        errorClass === 'permission'
          ? ` (the scan needs ${ATTACHMENT_LISTERS[provider].permissions.join(', ')})`
          : '';
      console.error(
        `remediate scan: ${provider} could not be listed completely: ${code}${httpStatus ? ` (HTTP ${httpStatus})` : ''}: ${message}${hint}`,
      );
    }
  }
  Object.assign(summary, countFindings(findings, providers));

  const nonCompliant = findings.filter((f) => f.status === 'non-compliant');
  if (output !== undefined) {
    // The scan's id as every line's eventId: the same file run twice acts once, a new scan's file acts anew.
    const text = nonCompliant
      .map((f) => `${JSON.stringify({ ...f.request, eventId: summary.scanId })}\n`)
      .join('');
    try {
      writeSync(output, text);
    } finally {
      closeSync(output);
    }
    summary.output = outputFile;
  }

  if (format === 'json') {
    for (const finding of findings) console.log(JSON.stringify(finding));
    console.log(JSON.stringify({ summary }));
  } else if (format === 'csv') {
    process.stdout.write(csv(FINDING_COLUMNS, findings.map(findingRecord)));
    for (const note of summary.notes) console.error(`note: ${note}`);
  } else {
    for (const note of summary.notes) console.error(`note: ${note}`);
    for (const line of humanReport(findings, summary)) console.log(line);
  }
  process.exitCode = summary.failed.length > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * The cloud asked for (its credentials must be set), or every cloud whose credentials are set; the others
 * are named on stderr with the variables that would include them.
 */
function contextsFor(
  only: Provider | undefined,
  environment: ReturnType<typeof readEnvironment>,
): [Provider, ProviderContext][] {
  if (only) return [[only, providerContext(only, environment)]];
  const contexts: [Provider, ProviderContext][] = [];
  const missing: [Provider, string][] = [];
  for (const provider of PROVIDERS) {
    try {
      contexts.push([provider, providerContext(provider, environment)]);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      missing.push([provider, error.message]);
    }
  }
  if (contexts.length === 0) {
    throw new ConfigError(`no cloud credentials to scan with: ${missing.map(([, m]) => m).join('; ')}`);
  }
  for (const [provider, message] of missing)
    console.error(`remediate scan: skipping ${provider} (${message})`);
  return contexts;
}

/** `--output` given as a format, as a file, or both (twice); `--json` is the json format. */
function outputOptions(options: ScanOptions): { format: OutputFormat; file: string | undefined } {
  let format: OutputFormat = options.json ? 'json' : 'table';
  let file: string | undefined;
  for (const value of options.output ?? []) {
    if (isOutputFormat(value)) format = options.json ? 'json' : value;
    else if (file === undefined) file = value;
    else throw new UsageError(`--output: one file only (${file} and ${value} given)`);
  }
  return { format, file };
}

/** scan:<time>:<random>: unique to one scan, readable in a dead letter or a log line. */
function scanId(now: Date): string {
  return `scan:${now.toISOString().replace(/\.\d+Z$/, 'Z')}:${randomBytes(4).toString('hex')}`;
}
