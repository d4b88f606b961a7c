import type { Command } from 'commander';
import { loadRules } from '../../shared/config/load-rules';
import type { Exemption } from '../../shared/config/rules';
import { isExpired } from '../../shared/engine/rules';
import { colourFor } from '../colour';
import { UsageError } from '../errors';

const DAY_MS = 24 * 3_600_000;

interface ValidateOptions {
  within: string;
  json?: boolean;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a rules file; list its expired and soon-expiring exemptions')
    .argument('[rules]', 'the rules file (default: REMEDIATE_RULES)')
    .option('--within <days>', 'what counts as expiring soon, in days', '30')
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      '\nExit code 0: the file is valid (expired exemptions are listed, and ignored by the functions);\n' +
        '2: it is not, and the message names the field and the rule it breaks.',
    )
    .action((file: string | undefined, options: ValidateOptions) => validate(file, options));
}

function validate(file: string | undefined, options: ValidateOptions): void {
  const path = file ?? process.env.REMEDIATE_RULES;
  if (!path) throw new UsageError('give the rules file, or set REMEDIATE_RULES');
  if (!/^\d+$/.test(options.within)) throw new UsageError('--within: must be a whole number of days');
  const rules = loadRules(path); // a ConfigError naming the field: exit 2
  const now = new Date();
  const soon = new Date(now.getTime() + Number(options.within) * DAY_MS);
  const expired = rules.exemptions.filter((e) => isExpired(e, now));
  const expiring = rules.exemptions.filter((e) => !isExpired(e, now) && isExpired(e, soon));
  if (options.json) {
    console.log(
      JSON.stringify({
        file: path,
        valid: true,
        rules: rules.rules.length,
        exemptions: rules.exemptions.length,
        expired,
        expiring,
      }),
    );
    return;
  }
  const { green, yellow, red } = colourFor();
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  console.log(
    green(
      `${path}: valid (${plural(rules.rules.length, 'rule')}, ${plural(rules.exemptions.length, 'exemption')})`,
    ),
  );
  if (expired.length > 0) {
    console.log(red(`expired exemptions (ignored: the requests they covered are acted on again):`));
    for (const e of expired) console.log(`  ${describe(e)}`);
  }
  if (expiring.length > 0) {
    console.log(yellow(`exemptions expiring within ${options.within} days:`));
    for (const e of expiring) console.log(`  ${describe(e)}`);
  }
}

function describe(e: Exemption): string {
  const when = Object.entries(e.when)
    .map(([field, value]) => `${field}=${JSON.stringify(value)}`)
    .join(' ');
  return `${e.rule ?? '(every rule)'}  ${when}  expires ${e.expires}  owner ${e.owner}  (${e.reason})`;
}
