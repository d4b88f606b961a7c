import { Command, CommanderError } from 'commander';
import { ConfigError } from '../shared/config/environment';
import { registerApply } from './commands/apply';
import { registerDlq } from './commands/dlq';
import { registerInvoke } from './commands/invoke';
import { registerPlan } from './commands/plan';
import { registerRun } from './commands/run';
import { registerSandbox } from './commands/sandbox';
import { registerScan } from './commands/scan';
import { EXIT, UsageError } from './errors';

export function buildProgram(): Command {
  const program = new Command('remediate')
    .description('Detach non-compliant permission policies on Alibaba Cloud, Tencent Cloud and Huawei Cloud')
    .exitOverride()
    .showHelpAfterError();
  registerApply(program);
  registerRun(program);
  registerPlan(program);
  registerScan(program);
  registerInvoke(program);
  registerDlq(program);
  registerSandbox(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    // A command reports a settled-but-failed run through process.exitCode (e.g. a dead-lettered request).
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`remediate: ${error.message}`);
      return EXIT.usage;
    }
    console.error(`remediate: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}

if (require.main === module || process.argv[1]?.endsWith('remediate.js')) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
