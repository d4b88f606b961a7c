import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { playDemo } from '../local/demo';
import { formatReport } from '../local/report';
import { FC_SERVICE, LocalRuntime, type Observation } from '../local/runtime';
import { ConfigError, defaultStateSpec, readEnvironment } from '../shared/config/environment';
import { deadLetterSchema } from '../shared/engine/dead-letters';
import { logger } from '../shared/logger';
import { EXIT, UsageError } from './errors';
import { portOption } from './port';
import { untilInterrupted } from './sandbox-session';

const DEMO_RULES = join(__dirname, '..', 'local', 'demo-rules.yaml');

const USAGE = `Usage: npm start [-- [--once] [--port N] [--http-port N]]

The sandbox cloud with the demo organisation, the three functions behind local triggers, the demo played
through them and its report; then it serves until Ctrl-C, printing one line per remediation.

  --once           exit after the report: 0 when every demo case ended as expected
  --port N         the sandbox cloud's port (default 4600; 0: a free one; --once: a free one)
  --http-port N    the signed HTTP endpoint's port (default 4601; 0: a free one; --once: a free one)
  -h, --help       this text

Environment: REMEDIATE_STATE (default: as the remediate command, ~/.remediate/state.db or ./.remediate/),
REMEDIATE_RULES (default: local/demo-rules.yaml), REMEDIATE_HTTP_SECRET (default: a random one,
printed), LOG_LEVEL (default: error; the report is the output).`;

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
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  // The variables it honours are checked as every command checks them: a bad one exits 2 naming it.
  const environment = readEnvironment(process.env);
  // The report is the output; the JSON log lines stay quiet unless asked for with LOG_LEVEL.
  if (!process.env.LOG_LEVEL) logger.level = 'error';
  const state = process.env.REMEDIATE_STATE ? environment.REMEDIATE_STATE : defaultStateSpec();
  // npm start creates its store; a mistyped path elsewhere is an error (shared/state/open.ts).
  if (state.startsWith('sqlite:')) mkdirSync(dirname(state.slice('sqlite:'.length)), { recursive: true });
  const rules = environment.REMEDIATE_RULES ?? DEMO_RULES;
  // A one-shot run takes free ports so it never collides with a runtime already serving.
  const runtime = await LocalRuntime.start({
    sandboxPort: port('--port', values.port, values.once ? 0 : 4600),
    httpPort: port('--http-port', values['http-port'], values.once ? 0 : 4601),
    state,
    rulesPath: rules,
    httpSecret: environment.REMEDIATE_HTTP_SECRET,
  });
  const startedAt = Date.now();
  console.log('cloud-remediate: the three functions on the local sandbox cloud');
  console.log(`  sandbox cloud ${runtime.sandbox.url} (demo organisation on Alibaba, Tencent and Huawei)`);
  console.log(`  http invoke   ${runtime.httpUrl}/invoke`);
  console.log(
    `  http secret   ${runtime.httpSecret} (${environment.REMEDIATE_HTTP_SECRET ? 'REMEDIATE_HTTP_SECRET' : 'generated; set REMEDIATE_HTTP_SECRET to choose it'})`,
  );
  console.log(`  state         ${state.replace(/\/\/[^@/]*@/, '//…@')}   rules ${shownPath(rules)}`);
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
  const stored = await runtime.functions.runtime.store.listDeadLetters(10_000);
  const deadLetters = stored
    .filter((l) => l.createdAt >= startedAt)
    .map((l) => deadLetterSchema().parse(l.record));
  for (const line of formatReport(cases, deadLetters, runtime.sandbox.calls.totals())) console.log(line);
  const allGood = cases.every((c) => c.got === c.expect);
  if (values.once) {
    await runtime.stop();
    return allGood ? EXIT.ok : EXIT.failed;
  }
  console.log('\nServing until Ctrl-C: attach calls to the sandbox are remediated as they happen.');
  runtime.onObservation((observation) => {
    for (const line of liveLines(observation)) console.log(line);
  });
  await untilInterrupted(runtime.sandbox);
  await runtime.stop();
  return EXIT.ok;
}

/** One line per remediation (or failed delivery) while serving. */
function liveLines(observation: Observation): string[] {
  const time = new Date().toISOString().slice(11, 19);
  const where = `${time}  ${observation.trigger.padEnd(13)} ${observation.cloud.padEnd(8)}`;
  if (observation.error) return [`${where} failed, to be retried: ${observation.error}`];
  return observation.outcomes.map(
    (o) => `${where} ${o.status}${o.reason ? ` (${o.reason})` : ''}  ${o.operation}  ${o.target}`,
  );
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
      error instanceof UsageError ||
      error instanceof ConfigError ||
      String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
    if (usage && !(error instanceof ConfigError)) console.error('npm start -- --help: the options');
    process.exitCode = usage ? EXIT.usage : EXIT.failed;
  },
);

/** A path below the working directory is shown relative to it (local/demo-rules.yaml), any other in full. */
function shownPath(path: string): string {
  const below = relative(process.cwd(), path);
  return below === '' || below.startsWith('..') || isAbsolute(below) ? resolve(path) : below;
}
