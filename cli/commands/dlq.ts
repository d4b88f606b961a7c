import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { type DeadLetter, deadLetterSchema } from '../../shared/engine/dead-letters';
import { redrive } from '../../shared/engine/redrive';
import { DEAD_LETTER_REASONS } from '../../shared/outcomes';
import { PROVIDERS } from '../../shared/requests';
import type { StateStore } from '../../shared/state/types';
import { colourFor } from '../colour';
import { EXIT, UsageError } from '../errors';
import { printOutcome } from '../output';
import { withRuntime } from '../runtime';

const LIST_LIMIT = 10_000;

interface FilterOptions {
  reason?: string;
  since?: string;
  provider?: string;
}

/** The filters of list and purge: each given one must match. */
function addFilters(command: Command): Command {
  return command
    .option('--reason <reason>', `only this reason: ${DEAD_LETTER_REASONS.join(', ')}`)
    .option(
      '--since <time>',
      'only newer ones: an ISO date or time (2026-11-21, 2026-11-21T10:00Z) or an age (30m, 2h, 7d)',
    )
    .option('--provider <provider>', `only this cloud: ${PROVIDERS.join(', ')}`);
}

function filterFrom(options: FilterOptions, now = Date.now()): (l: DeadLetter) => boolean {
  const { reason, provider, since } = options;
  if (reason !== undefined && !(DEAD_LETTER_REASONS as readonly string[]).includes(reason))
    throw new UsageError(`--reason: must be one of ${DEAD_LETTER_REASONS.join(', ')}`);
  if (provider !== undefined && !(PROVIDERS as readonly string[]).includes(provider))
    throw new UsageError(`--provider: must be one of ${PROVIDERS.join(', ')}`);
  const from = since === undefined ? undefined : sinceTime(since, now);
  return (l) =>
    (reason === undefined || l.reason === reason) &&
    (provider === undefined || (l.request as { provider?: unknown } | undefined)?.provider === provider) &&
    (from === undefined || Date.parse(l.createdAt) >= from);
}

function sinceTime(value: string, now: number): number {
  const age = /^(\d+)(m|h|d)$/.exec(value);
  if (age)
    return now - Number(age[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as 'm' | 'h' | 'd'];
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw new UsageError(
      `--since: must be an ISO date or time (2026-11-21T10:00Z) or an age (30m, 2h, 7d), got '${value}'`,
    );
  return time;
}

async function deadLetters(store: StateStore, options: FilterOptions): Promise<DeadLetter[]> {
  const keep = filterFrom(options);
  return (await store.listDeadLetters(LIST_LIMIT))
    .map((l) => deadLetterSchema().parse(l.record))
    .filter(keep);
}

/** Yes only from a person who typed it; without a terminal, only --yes confirms. */
async function confirmed(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY)
    throw new UsageError(`${question.replace(/\?$/, '')}: not on a terminal, so confirm with --yes`);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('inspect, redrive and delete dead-lettered requests');

  addFilters(dlq.command('list').description('dead letters, oldest first'))
    .option('--json', 'print them as one JSON array')
    .action((options: FilterOptions & { json?: boolean }) =>
      withRuntime(
        async ({ store }) => {
          const letters = await deadLetters(store, options);
          if (options.json) return console.log(JSON.stringify(letters));
          if (letters.length === 0) return console.log('no dead letters');
          for (const l of letters) console.log(summary(l));
        },
        { existing: true },
      ),
    );

  dlq
    .command('show')
    .description('one dead letter in full')
    .argument('<id>')
    .option('--json', 'print it as one JSON line')
    .action((id: string, options: { json?: boolean }) =>
      withRuntime(
        async ({ store }) => {
          const stored = await store.getDeadLetter(id);
          if (!stored) throw new UsageError(`no dead letter ${id}`);
          const letter = deadLetterSchema().parse(stored.record);
          console.log(options.json ? JSON.stringify(letter) : JSON.stringify(letter, null, 2));
        },
        { existing: true },
      ),
    );

  dlq
    .command('delete')
    .description('delete one dead letter (the request is not carried out)')
    .argument('<id>')
    .action((id: string) =>
      withRuntime(
        async ({ store }) => {
          if (!(await store.deleteDeadLetter(id))) throw new UsageError(`no dead letter ${id}`);
          console.log(`deleted ${id}`);
        },
        { existing: true },
      ),
    );

  addFilters(
    dlq
      .command('purge')
      .description(
        'delete every dead letter that the filters select (all without filters), after confirmation',
      ),
  )
    .option('--yes', 'do not ask (scripts, CI); without a terminal it is required')
    .action((options: FilterOptions & { yes?: boolean }) =>
      withRuntime(
        async ({ store }) => {
          const letters = await deadLetters(store, options);
          if (letters.length === 0) return console.log('no dead letters to delete');
          const which = options.reason ? ` (${options.reason})` : '';
          if (
            !(await confirmed(
              `delete ${letters.length} dead letter${letters.length === 1 ? '' : 's'}${which}?`,
              options.yes,
            ))
          ) {
            console.log('nothing deleted');
            process.exitCode = EXIT.failed;
            return;
          }
          let deleted = 0;
          for (const l of letters) if (await store.deleteDeadLetter(l.id)) deleted += 1;
          console.log(`deleted ${deleted} dead letter${deleted === 1 ? '' : 's'}`);
        },
        { existing: true },
      ),
    );

  dlq
    .command('redrive')
    .description('run dead letters through the engine again, under their original idempotency keys')
    .argument('[id]')
    .option('--all', 'every dead letter')
    .option('--json', 'print one outcome per line')
    .action((id: string | undefined, options: { all?: boolean; json?: boolean }) =>
      withRuntime(
        async (runtime) => {
          if (Boolean(id) === Boolean(options.all)) throw new UsageError('give one dead letter id or --all');
          const ids = id ? [id] : (await runtime.store.listDeadLetters(LIST_LIMIT)).map((l) => l.id);
          let settled = true;
          for (const each of ids) {
            const result = await redrive(
              runtime.engine,
              runtime.store,
              runtime.owner,
              each,
              runtime.deadline(),
              runtime.contextFor,
            );
            if ('skipped' in result) {
              settled = false;
              const line = { id: each, skipped: result.skipped, detail: result.detail };
              console.log(
                options.json
                  ? JSON.stringify(line)
                  : `${each}: not redriven (${result.skipped}${result.detail ? `: ${result.detail}` : ''})`,
              );
              continue;
            }
            if (result.outcome.status === 'dead-lettered' || result.outcome.status === 'retry-later')
              settled = false;
            if (!options.json) process.stdout.write(`${each}: `);
            printOutcome(result.outcome, Boolean(options.json));
          }
          if (ids.length === 0 && !options.json) console.log('no dead letters');
          process.exitCode = settled ? EXIT.ok : EXIT.failed;
        },
        { existing: true },
      ),
    );
}

function summary(l: DeadLetter): string {
  const request = l.request as { provider?: string; operation?: string };
  const what =
    request.provider && request.operation ? `${request.provider}/${request.operation}` : '(invalid request)';
  const { red } = colourFor();
  return `${l.id}  ${l.createdAt}  ${red(l.reason.padEnd(22))}  ${what}  ${l.error ? `${l.error.code}: ` : ''}${l.hint}`;
}
