import { parseArgs } from 'node:util';
import { EXIT, UsageError } from './errors';
import { openSandbox, untilInterrupted } from './sandbox-session';

/**
 * `npm start`: the sandbox cloud seeded with the demo organisation, described on stdout.
 * `--once` prints the report and exits; otherwise it serves until Ctrl-C.
 */
async function start(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { once: { type: 'boolean', default: false }, port: { type: 'string' } },
    strict: true,
  });
  // A one-shot run takes a free port so it never collides with a sandbox already serving on 4600.
  const port = values.port ?? (values.once ? '0' : '4600');
  const { sandbox, lines } = await openSandbox({ port, seed: 'demo' });
  console.log('cloud-remediate: local sandbox cloud');
  for (const line of lines) console.log(`  ${line}`);
  if (values.once) {
    await sandbox.stop();
    return EXIT.ok;
  }
  console.log('Serving until Ctrl-C.');
  await untilInterrupted(sandbox);
  return EXIT.ok;
}

start(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
        ? EXIT.usage
        : EXIT.failed;
  },
);
