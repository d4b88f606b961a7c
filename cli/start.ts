import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { playDemo } from '../infra/local/demo';
import { formatReport } from '../infra/local/report';
import { FC_SERVICE, LocalRuntime } from '../infra/local/runtime';
import { deadLetterSchema } from '../shared/engine/dead-letter';
import { logger } from '../shared/logger';
import { functionRuntime } from '../shared/platform/function-runtime';
import { EXIT, UsageError } from './errors';
import { portOption } from './port';
import { untilInterrupted } from './sandbox-session';

const STATE_PATH = join('.remediate', 'state.db');
const RULES_PATH = join(__dirname, '..', 'infra', 'local', 'demo-rules.yaml');

/**
 * `npm start`: the main job on one machine. The sandbox cloud with the demo organisation, the three
 * functions behind local triggers, the demo played through them and a report; then it keeps serving
 * until Ctrl-C. `--once` exits after the report: 0 when every demo case ended as expected.
 */
async function start(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      once: { type: 'boolean', default: false },
      port: { type: 'string' },
      'http-port': { type: 'string' },
    },
    strict: true,
  });
  // The report is the output; the JSON log lines stay quiet unless asked for with LOG_LEVEL.
  if (!process.env.LOG_LEVEL) logger.level = 'error';
  mkdirSync('.remediate', { recursive: true });
  // A one-shot run takes free ports so it never collides with a runtime already serving.
  const runtime = await LocalRuntime.start({
    sandboxPort: port('--port', values.port, values.once ? 0 : 4600),
    httpPort: port('--http-port', values['http-port'], values.once ? 0 : 4601),
    statePath: STATE_PATH,
    rulesPath: RULES_PATH,
  });
  const startedAt = Date.now();
  console.log('cloud-remediate: the three functions on the local sandbox cloud');
  console.log(`  sandbox cloud ${runtime.sandbox.url} (demo organisation on Alibaba, Tencent and Huawei)`);
  console.log(
    `  http invoke   ${runtime.httpUrl}/invoke   state ${STATE_PATH}   rules infra/local/demo-rules.yaml`,
  );
  console.log(
    `  FC functions  ${FC_SERVICE}/{audit-log,queue-cleanup,http-invoke}: remediate invoke <function> --fc 1234567890123456/${FC_SERVICE}/<function>`,
  );
  let cases: Awaited<ReturnType<typeof playDemo>>;
  try {
    cases = await playDemo(runtime);
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  const stored = await functionRuntime().store.listDeadLetters(10_000);
  const deadLetters = stored
    .filter((l) => l.createdAt >= startedAt)
    .map((l) => deadLetterSchema.parse(l.record));
  for (const line of formatReport(cases, deadLetters, runtime.sandbox.calls.totals())) console.log(line);
  const allGood = cases.every((c) => c.got === c.expect);
  if (values.once) {
    await runtime.stop();
    return allGood ? EXIT.ok : EXIT.failed;
  }
  console.log('\nServing until Ctrl-C: attach calls to the sandbox are remediated as they happen.');
  await untilInterrupted(runtime.sandbox);
  await runtime.stop();
  return EXIT.ok;
}

function port(flag: string, value: string | undefined, fallback: number): number {
  return value === undefined ? fallback : portOption(flag, value);
}

start(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
    const usage =
      error instanceof UsageError || String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
    process.exitCode = usage ? EXIT.usage : EXIT.failed;
  },
);
