import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { ConfigError } from '../../shared/config/environment';
import type { Delivery } from '../../shared/engine/delivery';
import type { Outcome } from '../../shared/outcomes';
import { inPool } from '../../shared/pool';
import { EXIT, UsageError } from '../errors';
import { csv, isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../output';
import { humanPlan, makePlan, type Plan, planSummary } from '../plan/plan';
import { progressBar } from '../progress';
import { confirm, shouldAsk } from '../run/confirm';
import { type InputLine, invalidReport, readInput } from '../run/input';
import { reportFormat, writeReport } from '../run/report-file';
import {
  humanTable,
  isDone,
  type LineResult,
  notDoneReport,
  recordsCsv,
  replayNote,
  summarize,
  summaryLine,
  summaryObject,
} from '../run/results';
import { type CliRuntime, providerContext, withRuntime } from '../runtime';

export interface RunOptions {
  concurrency: string;
  max?: string;
  json?: boolean;
  output?: string;
  dryRun?: boolean;
  yes?: boolean;
  report?: string;
  resume?: string;
  skipInvalid?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('bulk: carry out one RemediationRequest per line (JSON) of a file, or of stdin with -')
    .argument('<file>', 'a .jsonl file, or - for stdin')
    .option('--concurrency <n>', 'requests in flight at once', '8')
    .option(
      '--max <n>',
      'at most this many mutating calls per cloud account in this run; the lines past it are named',
    )
    .option('--dry-run', 'read the current state and print the plan: what each line would do; change nothing')
    .option('--yes', 'do not ask for confirmation on a terminal')
    .option('--skip-invalid', 'run the valid lines of a file that has invalid ones (reported as invalid)')
    .option('--resume <runId>', 'continue an interrupted run: lines it finished are not carried out again')
    .option('--report <file>', "write every line's outcome to FILE.json, FILE.csv or FILE.md")
    .option('--output <format>', `how to print the outcomes: ${OUTPUT_FORMATS.join(', ')}`, 'table')
    .option('--json', 'same as --output json: one outcome per input line and a summary line last')
    .addHelpText(
      'after',
      '\nEvery line is validated before the first call: a file with an invalid line is refused (exit 2, each\n' +
        'bad line named) unless --skip-invalid. On a terminal the plan is shown and confirmed first (--yes\n' +
        'skips that); without a terminal (CI, pipes) the run proceeds. Exit code 0: every line done;\n' +
        '1: a line was dead-lettered, not settled, or named something that does not exist; 2: bad usage.\n' +
        'REMEDIATE_DRY_RUN=true behaves like --dry-run.',
    )
    .action((file: string, options: RunOptions) => runBulk(file, options));
}

export async function runBulk(file: string, options: RunOptions): Promise<void> {
  const concurrency = positiveInteger('--concurrency', options.concurrency);
  const max = options.max === undefined ? undefined : positiveInteger('--max', options.max);
  const format = outputFormat(options);
  if (options.report !== undefined) reportFormat(options.report);
  if (options.resume !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(options.resume))
    throw new UsageError('--resume: must be the run id a run printed when it started');

  const lines = readInput(file);
  const invalid = lines.filter((l) => !l.ok);
  if (invalid.length > 0 && !options.skipInvalid) {
    for (const line of invalidReport(file, invalid)) console.error(line);
    process.exitCode = EXIT.usage;
    return;
  }

  // --max N is this run's own cap: the engine counts this process's mutating calls against it, and it
  // can only tighten the explicit budget of the rules file (docs/ARCHITECTURE.md, Safety); the lines past it
  // are dead-lettered.
  await withRuntime(
    async (runtime) => {
      if (options.dryRun || runtime.engine.dryRun) {
        printPlan(await planOf(lines, runtime), format);
        if (format === 'table') console.log('Dry run: nothing was changed.');
        return;
      }
      if (shouldAsk(options.yes)) {
        const plan = await planOf(lines, runtime);
        // A machine format keeps stdout for its records: the plan and the question go to stderr then.
        const say = format === 'table' ? console.log : console.error;
        for (const line of humanPlan(plan)) say(line);
        if (
          !(await confirm(
            `Carry out ${lines.length} line${lines.length === 1 ? '' : 's'} (${planSummary(plan).text})?`,
            format === 'table' ? process.stdout : process.stderr,
          ))
        ) {
          say('Cancelled: nothing was done.');
          process.exitCode = EXIT.failed;
          return;
        }
      }
      const runId = options.resume ?? randomUUID();
      if (format === 'json') {
        console.log(
          JSON.stringify({
            run: { id: runId, file, lines: lines.length, resumed: options.resume !== undefined },
          }),
        );
      } else {
        console.error(
          `remediate run: run id ${runId}${options.resume ? ' (resumed)' : ''}; if it is interrupted, continue it with --resume ${runId}`,
        );
      }
      const startedAt = new Date();
      const { results, stop } = await execute(runtime, lines, {
        runId,
        concurrency,
        format,
      });
      const finishedAt = new Date();
      const summary = summarize(runId, results, finishedAt.getTime() - startedAt.getTime());

      if (stop) console.error(`remediate run: stopped at line ${stop.line}: ${stop.message}`);
      if (format === 'json') console.log(JSON.stringify({ summary: summaryObject(summary) }));
      else if (format === 'csv') {
        process.stdout.write(recordsCsv(results));
        console.error(summaryLine(summary));
      } else {
        for (const line of [...humanTable(results), '', summaryLine(summary), ...notDoneReport(results)])
          console.log(line);
      }
      if (options.report !== undefined) {
        writeReport(options.report, {
          file,
          startedAt: startedAt.toISOString(),
          finishedAt: finishedAt.toISOString(),
          summary,
          results,
        });
      }
      process.exitCode = stop?.usage ? EXIT.usage : results.every(isDone) ? EXIT.ok : EXIT.failed;
    },
    max === undefined ? {} : { maxActions: max },
  );
}

interface ExecuteSettings {
  runId: string;
  concurrency: number;
  format: OutputFormat;
}

/**
 * Runs every line through the engine, `concurrency` at a time. A line without its own `eventId` is keyed by
 * the run id and its line number: a new run is a new order, a resumed run finds what it finished. An error
 * the engine throws (the state store or credentials) stops the run once, instead of repeating on every line.
 */
async function execute(runtime: CliRuntime, lines: readonly InputLine[], settings: ExecuteSettings) {
  const results: (LineResult | undefined)[] = new Array(lines.length);
  const bar = progressBar(lines.length, settings.format !== 'table');
  let stop: { line: number; message: string; usage: boolean } | undefined;
  await inPool(
    lines,
    settings.concurrency,
    async (line, index) => {
      let result: LineResult;
      try {
        result = line.ok
          ? fromOutcome(
              line.number,
              await runtime.engine.handle(line.request, delivery(line, runtime, settings)),
            )
          : { line: line.number, status: 'invalid', error: `${line.field}: ${line.rule}` };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        stop ??= { line: line.number, message, usage: error instanceof ConfigError };
        result = { line: line.number, status: 'failed', error: message };
      }
      results[index] = result;
      if (settings.format === 'json') console.log(JSON.stringify(jsonLine(result)));
      bar.increment(result.status);
    },
    () => stop !== undefined,
  );
  bar.stop();
  const all = lines.map(
    (line, i): LineResult =>
      results[i] ?? {
        line: line.number,
        status: 'not-started',
        error: `the run stopped at line ${stop?.line}: ${stop?.message}`,
      },
  );
  if (settings.format === 'json')
    for (const result of all)
      if (result.status === 'not-started') console.log(JSON.stringify(jsonLine(result)));
  return { results: all, stop };
}

function delivery(
  line: Extract<InputLine, { ok: true }>,
  runtime: CliRuntime,
  settings: ExecuteSettings,
): Delivery {
  return {
    trigger: 'cli',
    eventId: line.request.eventId ?? `run:${settings.runId}:line:${line.number}`,
    explicit: true,
    deadline: runtime.deadline(),
    context: runtime.contextFor(line.request.provider),
    onPlatform: false,
  };
}

function fromOutcome(line: number, outcome: Outcome): LineResult {
  return { line, status: outcome.status, outcome };
}

/** The machine form of one line: the outcome object with its line number, and the replay said in words. */
function jsonLine(result: LineResult) {
  if (!result.outcome) return { line: result.line, status: result.status, error: result.error };
  const replayed = replayNote(result.outcome);
  return { line: result.line, ...result.outcome, ...(replayed && { replayed }) };
}

async function planOf(lines: readonly InputLine[], runtime: CliRuntime): Promise<Plan> {
  return makePlan(
    lines.map((l) => (l.ok ? l : { number: l.number, ok: false as const, field: l.field, rule: l.rule })),
    runtime.rules,
    (provider) => providerContext(provider, runtime.environment),
    new Date(),
  );
}

function printPlan(plan: Plan, format: OutputFormat): void {
  const { counts, text } = planSummary(plan);
  if (format === 'json') {
    for (const entry of plan.entries) console.log(JSON.stringify(entry));
    console.log(JSON.stringify({ summary: { ...counts, text, notes: plan.notes } }));
  } else if (format === 'csv') {
    process.stdout.write(
      csv(
        ['line', 'action', 'operation', 'target', 'reason', 'text'],
        plan.entries as unknown as Record<string, unknown>[],
      ),
    );
    console.error(`Plan: ${text}.`);
  } else {
    for (const line of humanPlan(plan)) console.log(line);
  }
}

function outputFormat(options: RunOptions): OutputFormat {
  if (options.json) return 'json';
  const value = options.output ?? 'table';
  if (!isOutputFormat(value)) throw new UsageError(`--output: must be one of ${OUTPUT_FORMATS.join(', ')}`);
  return value;
}

function positiveInteger(flag: string, value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${flag}: must be a positive integer`);
  return Number(value);
}
