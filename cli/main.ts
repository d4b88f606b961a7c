import { Command, CommanderError } from 'commander';
import { sandboxLogger } from '../sandbox/logger';
import { ConfigError, readLogLevel } from '../shared/config/environment';
import { LOG_LEVELS, logger } from '../shared/logger';
import { registerApply } from './commands/apply';
import { registerDeployCheck } from './commands/deploy-check';
import { registerDlq } from './commands/dlq';
import { registerDoctor } from './commands/doctor';
import { registerInvoke } from './commands/invoke';
import { registerPlan } from './commands/plan';
import { registerRun } from './commands/run';
import { registerSandbox } from './commands/sandbox';
import { registerScan } from './commands/scan';
import { registerValidate } from './commands/validate';
import { EXIT, UsageError } from './errors';

export function buildProgram(): Command {
  const program = new Command('remediate')
    .description('Detach non-compliant permission policies on Alibaba Cloud, Tencent Cloud and Huawei Cloud')
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('-v, --verbose', 'also log info lines (-vv: debug); LOG_LEVEL sets the level too', increase, 0)
    .exitOverride()
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nLogs: warnings and errors only by default, one JSON object a line on stderr; more with -v or\n' +
        `LOG_LEVEL (${LOG_LEVELS.join(', ')}). NO_COLOR turns colour off.`,
    )
    .hook('preAction', (command) => setLogLevel(command.opts<{ verbose: number }>().verbose));
  registerApply(program);
  registerRun(program);
  registerPlan(program);
  registerScan(program);
  registerInvoke(program);
  registerDlq(program);
  registerSandbox(program);
  registerValidate(program);
  registerDoctor(program);
  registerDeployCheck(program);
  return program;
}

function packageVersion(): string {
  return (require('../package.json') as { version: string }).version;
}

const increase = (_: string, previous: number) => previous + 1;

/**
 * A person's terminal is for the command's output: the log says only warnings and errors unless LOG_LEVEL
 * or -v asks for more.
 */
function setLogLevel(verbose: number): void {
  const level = readLogLevel() ?? (verbose >= 2 ? 'debug' : verbose === 1 ? 'info' : 'warn');
  logger.level = level;
  sandboxLogger.level = level;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    // Checked before anything runs: a wrong LOG_LEVEL is a usage error naming it, for every command.
    readLogLevel();
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

/** The entry point of bin/remediate.js: runs the command and sets the exit code. */
export function startCli(argv: readonly string[]): void {
  main(argv).then((code) => {
    process.exitCode = code;
  });
}
