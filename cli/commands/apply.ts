import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { OPERATION_NAMES } from '../../shared/requests';
import { colourFor } from '../colour';
import { EXIT } from '../errors';
import { explainFailure } from '../explain';
import { printOutcome } from '../output';
import { fieldFlags, requestFromFlags } from '../request-flags';
import { withRuntime } from '../runtime';

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('carry out one remediation request through the engine')
    .argument('<operation>', `one of ${OPERATION_NAMES.join(', ')}`)
    .option('--dry-run', 'read only: report what would be done, change nothing')
    .option('--json', 'print the outcome object as the last line of stdout')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .addHelpText(
      'after',
      `\nRequest fields are flags in kebab-case (README "What it does" gives each field's rule):\n${OPERATION_NAMES.map(
        (name) => `  ${name.padEnd(30)} ${fieldFlags(name).join(' ')}`,
      ).join('\n')}\n\nExamples:\n` +
        '  remediate apply alibaba/detach-policy --resource-group-id rg-1 --policy-type System \\\n' +
        '    --policy-name AdministratorAccess --principal-type IMSUser --principal-name alice@corp.onaliyun.com\n' +
        '  remediate apply tencent/detach-policy --policy-id 1 --target-id 1001 --target-type NODE\n' +
        '  remediate apply huawei/detach-agency-policy --policy-id c9e2a5b3-obs-admin --agency-id 5b3e0c1f-ci-deployer',
    )
    .action(async (operation: string, options: { dryRun?: boolean; json?: boolean }, command: Command) => {
      // Validated before anything is opened: invalid input touches neither the state nor a cloud.
      const request = requestFromFlags(operation, command.args.slice(1), Boolean(options.dryRun));
      const { outcome, environment } = await withRuntime(async (runtime) => ({
        // Each invocation is a new order: a person running apply twice means it twice.
        outcome: await runtime.engine.handle(request, {
          trigger: 'cli',
          eventId: `cli:${randomUUID()}`,
          explicit: true,
          deadline: runtime.deadline(),
          context: runtime.contextFor(request.provider),
          onPlatform: false,
        }),
        environment: runtime.environment,
      }));
      printOutcome(outcome, Boolean(options.json));
      // With --json every line on either stream is JSON: the outcome already carries the error for a program.
      if (!options.json) {
        const { red } = colourFor(process.stderr);
        for (const line of explainFailure(outcome, environment, process.env)) console.error(red(line.trim()));
      }
      // Naming something that does not exist is a mistake in the order, not compliance (issue 9).
      const failed =
        outcome.status === 'dead-lettered' ||
        outcome.status === 'retry-later' ||
        outcome.missing !== undefined;
      process.exitCode = failed ? EXIT.failed : EXIT.ok;
    });
}
