import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, readEnvironment } from '../../shared/config/environment';
import { PROVIDERS } from '../../shared/requests';
import { EXIT, UsageError } from '../errors';
import { checkEventCloud } from '../invoke/event-cloud';
import { checkCloud, checkFunction, FUNCTIONS, invokeLocally } from '../invoke/local';
import { FcApiError, FunctionError, invokeRemote, parseFcTarget } from '../invoke/remote';

interface InvokeOptions {
  event: string;
  cloud?: string;
  fc?: string;
  json?: boolean;
}

export function registerInvoke(program: Command): void {
  program
    .command('invoke')
    .description('invoke a function locally as its platform would, or a deployed Alibaba FC function')
    .argument('<function>', `one of ${FUNCTIONS.join(', ')}`)
    .requiredOption('--event <file>', 'the trigger event: a JSON file, or - for stdin')
    .option('--cloud <cloud>', `the platform to run it as locally: ${PROVIDERS.join(', ')}`, 'alibaba')
    .option('--fc <account/service/function>', 'invoke this deployed Function Compute function instead')
    .option('--json', 'print the result as one JSON line (an error as {"error": …})')
    .addHelpText(
      'after',
      "\nLocally, functions/<function>/<cloud>.ts is called in this process with the platform's arguments:\n" +
        '  alibaba  handler(event as a Buffer, context with credentials from ALIBABA_CLOUD_*)\n' +
        '  tencent  main_handler(event, context); credentials from TENCENTCLOUD_*, as on SCF\n' +
        '  huawei   handler(event, context with getSecurityAccessKey()… over HUAWEICLOUD_SDK_*)\n' +
        'It runs against the clouds (or REMEDIATE_*_ENDPOINT) with the state, rules and dry-run of the\n' +
        "environment. With --fc the event file's bytes are sent to the deployed function through\n" +
        '@alicloud/fc2, at https://ACCOUNT.<ALIBABA_CLOUD_REGION_ID, default cn-hangzhou>.fc.aliyuncs.com\n' +
        'or REMEDIATE_ALIBABA_ENDPOINT. The result is printed as JSON. Exit code 0: the function returned;\n' +
        '1: it threw (e.g. RetryLaterError: the platform would redeliver) or the call failed; 2: bad usage.\n\n' +
        'Examples:\n' +
        '  remediate invoke queue-cleanup --event batch.json --cloud tencent\n' +
        '  remediate invoke audit-log --event attach.json --fc 1234567890123456/remediate/audit-log',
    )
    .action((name: string, options: InvokeOptions) => invoke(name, options));
}

async function invoke(name: string, options: InvokeOptions): Promise<void> {
  const fn = checkFunction(name);
  const cloud = checkCloud(options.cloud ?? 'alibaba');
  const target = options.fc === undefined ? undefined : parseFcTarget(options.fc);
  if (target && cloud !== 'alibaba')
    throw new UsageError('--fc invokes Alibaba Function Compute: leave out --cloud');
  const environment = readEnvironment(process.env);
  const source = options.event === '-' ? 'stdin' : options.event;
  let event: Buffer;
  try {
    event = readFileSync(options.event === '-' ? 0 : options.event);
  } catch (error) {
    throw new UsageError(`--event ${source}: ${(error as Error).message}`);
  }

  if (!target) checkEventCloud(fn, cloud, jsonOrUndefined(event));
  let result: unknown;
  try {
    result = target
      ? (await invokeRemote(target, event, environment, process.env)).result
      : await invokeLocally(fn, cloud, event, environment, process.env, source);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || !(error instanceof Error)) throw error;
    report(error, Boolean(options.json));
    process.exitCode = EXIT.failed;
    return;
  }
  console.log(options.json ? JSON.stringify(result ?? null) : JSON.stringify(result ?? null, null, 2));
  process.exitCode = EXIT.ok;
}

function jsonOrUndefined(event: Buffer): unknown {
  try {
    return JSON.parse(event.toString('utf8'));
  } catch {
    return undefined; // the function reports an event that is not JSON
  }
}

/** What the function threw, or why the call failed: on stderr, and as {"error": …} with --json. */
function report(error: Error, json: boolean): void {
  let line: string;
  let detail: Record<string, unknown>;
  if (error instanceof FunctionError) {
    line = `the function failed: ${error.errorType}: ${error.message}`;
    detail = { name: error.errorType, message: error.message, requestId: error.requestId };
  } else if (error instanceof FcApiError) {
    line = `Function Compute refused the call: ${error.code}: ${error.message}`;
    detail = { name: error.name, code: error.code, message: error.message };
  } else {
    line = `${error.name}: ${error.message}`;
    detail = { name: error.name, message: error.message };
  }
  console.error(`remediate invoke: ${line}`);
  if (json) console.log(JSON.stringify({ error: detail }));
}
