import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Outcome, OutcomeStatus } from '../../shared/outcomes';
import { EXIT, UsageError } from '../errors';
import { progressBar } from '../progress';
import { withRuntime } from '../runtime';

interface RunOptions {
  concurrency: string;
  max?: string;
  json?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('bulk: carry out one RemediationRequest per line (JSON) of a file, or of stdin with -')
    .argument('<file>', 'a .jsonl file, or - for stdin')
    .option('--concurrency <n>', 'requests in flight at once', '8')
    .option('--max <n>', 'at most this many mutating calls in this run (only tightens the breaker)')
    .option('--json', 'print one outcome per input line and a summary line last')
    .action((file: string, options: RunOptions) => runBulk(file, options));
}

async function runBulk(file: string, options: RunOptions): Promise<void> {
  const concurrency = positiveInteger('--concurrency', options.concurrency);
  const max = options.max === undefined ? undefined : positiveInteger('--max', options.max);
  const lines = readLines(file);
  const started = Date.now();
  const counts: Partial<Record<OutcomeStatus | 'failed', number>> = {};
  await withRuntime(
    async (runtime) => {
      const bar = progressBar(lines.length, Boolean(options.json));
      let next = 0;
      const worker = async () => {
        while (next < lines.length) {
          const index = next++;
          const { text, number } = lines[index] as { text: string; number: number };
          const outcome = await runLine(runtime, text, number).catch((error: unknown) => failure(error));
          counts[outcome === undefined ? 'failed' : outcome.status] =
            (counts[outcome?.status ?? 'failed'] ?? 0) + 1;
          if (outcome && options.json) console.log(JSON.stringify({ line: number, ...outcome }));
          bar.increment(outcome?.status ?? 'failed');
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, lines.length) }, worker));
      bar.stop();
    },
    { maxActions: max },
  );
  const summary = { total: lines.length, ...counts, durationMs: Date.now() - started };
  if (options.json) console.log(JSON.stringify({ summary }));
  else
    console.log(
      Object.entries(summary)
        .map(([k, v]) => `${k}: ${v}`)
        .join('  '),
    );
  // Settled means done or dead-lettered; anything still to retry (or a failure) is not.
  process.exitCode = (counts['retry-later'] ?? 0) + (counts.failed ?? 0) === 0 ? EXIT.ok : EXIT.failed;

  function failure(error: unknown): undefined {
    console.error(`remediate run: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function runLine(
  runtime: Parameters<Parameters<typeof withRuntime>[0]>[0],
  text: string,
  number: number,
): Promise<Outcome> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    input = { invalidJson: text.slice(0, 1_000) };
  }
  const eventId =
    typeof (input as { eventId?: unknown })?.eventId === 'string'
      ? (input as { eventId: string }).eventId
      : `line:${number}:${createHash('sha256').update(text).digest('hex')}`;
  return runtime.engine.handleInput(input, {
    source: 'cli',
    eventId,
    explicit: true,
    deadline: runtime.deadline(),
    onPlatform: false,
  });
}

function readLines(file: string): { text: string; number: number }[] {
  let content: string;
  try {
    content = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  return content
    .split('\n')
    .map((text, i) => ({ text: text.trim(), number: i + 1 }))
    .filter((line) => line.text !== '');
}

function positiveInteger(flag: string, value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`${flag}: must be a positive integer`);
  return Number(value);
}
