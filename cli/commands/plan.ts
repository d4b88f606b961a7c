import type { Command } from 'commander';
import { OUTPUT_FORMATS } from '../output';
import { type RunOptions, runBulk } from './run';

/** `remediate plan FILE`: the name terraform users look for; exactly `remediate run --dry-run FILE`. */
export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      'what `run FILE` would do to each line, read from the clouds; changes nothing (run --dry-run)',
    )
    .argument('<file>', 'a .jsonl file, or - for stdin')
    .option('--skip-invalid', 'plan the valid lines of a file that has invalid ones')
    .option('--output <format>', `how to print the plan: ${OUTPUT_FORMATS.join(', ')}`, 'table')
    .option('--json', 'same as --output json')
    .action((file: string, options: Omit<RunOptions, 'concurrency'>) =>
      runBulk(file, { ...options, concurrency: '1', dryRun: true }),
    );
}
