import type { Command } from 'commander';
import { type DeadLetter, deadLetterSchema } from '../../shared/engine/dead-letter';
import { redrive } from '../../shared/engine/redrive';
import { EXIT, UsageError } from '../errors';
import { printOutcome } from '../output';
import { withRuntime } from '../runtime';

const LIST_LIMIT = 10_000;

export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('inspect and redrive dead-lettered requests');

  dlq
    .command('list')
    .description('dead letters, oldest first')
    .option('--json', 'print them as one JSON array')
    .action((options: { json?: boolean }) =>
      withRuntime(async ({ store }) => {
        const letters = (await store.listDeadLetters(LIST_LIMIT)).map((l) =>
          deadLetterSchema.parse(l.record),
        );
        if (options.json) return console.log(JSON.stringify(letters));
        if (letters.length === 0) return console.log('no dead letters');
        for (const l of letters) console.log(summary(l));
      }),
    );

  dlq
    .command('show')
    .description('one dead letter in full')
    .argument('<id>')
    .option('--json', 'print it as one JSON line')
    .action((id: string, options: { json?: boolean }) =>
      withRuntime(async ({ store }) => {
        const stored = await store.getDeadLetter(id);
        if (!stored) throw new UsageError(`no dead letter ${id}`);
        const letter = deadLetterSchema.parse(stored.record);
        console.log(options.json ? JSON.stringify(letter) : JSON.stringify(letter, null, 2));
      }),
    );

  dlq
    .command('redrive')
    .description('run dead letters through the engine again, under their original idempotency keys')
    .argument('[id]')
    .option('--all', 'every dead letter')
    .option('--json', 'print one outcome per line')
    .action((id: string | undefined, options: { all?: boolean; json?: boolean }) =>
      withRuntime(async (runtime) => {
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
      }),
    );
}

function summary(l: DeadLetter): string {
  const request = l.request as { provider?: string; operation?: string };
  const what =
    request.provider && request.operation ? `${request.provider}/${request.operation}` : '(invalid request)';
  return `${l.id}  ${l.createdAt}  ${l.reason.padEnd(22)}  ${what}  ${l.error ? `${l.error.code}: ` : ''}${l.hint}`;
}
