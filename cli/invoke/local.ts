import { randomUUID } from 'node:crypto';
import { credentialsFromEnvironment, type Environment } from '../../shared/config/environment';
import { logger } from '../../shared/logger';
import { resetFunctionRuntime } from '../../shared/platform/function-runtime';
import { PROVIDERS, type Provider } from '../../shared/requests';
import { UsageError } from '../errors';

/** The functions of DESIGN §4, each at functions/<function>/<cloud>.ts. */
export const FUNCTIONS = ['audit-log', 'queue-cleanup', 'http-invoke'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

type Handler = (event: unknown, context: unknown) => unknown;

/** The entry point each platform calls: `handler` on FC and FunctionGraph, `main_handler` on SCF. */
export const ENTRY_POINT: Readonly<Record<Provider, 'handler' | 'main_handler'>> = {
  alibaba: 'handler',
  tencent: 'main_handler',
  huawei: 'handler',
};

export function checkFunction(name: string): FunctionName {
  if (!(FUNCTIONS as readonly string[]).includes(name))
    throw new UsageError(`unknown function '${name}' (one of ${FUNCTIONS.join(', ')})`);
  return name as FunctionName;
}

export function checkCloud(cloud: string): Provider {
  if (!(PROVIDERS as readonly string[]).includes(cloud))
    throw new UsageError(`--cloud: must be one of ${PROVIDERS.join(', ')}`);
  return cloud as Provider;
}

/** Loads the function's module for one cloud only (and so only that cloud's SDK). */
function loadHandler(name: FunctionName, cloud: Provider): Handler {
  const module = require(`../../functions/${name}/${cloud}`) as Record<string, unknown>;
  const entry = module[ENTRY_POINT[cloud]];
  if (typeof entry !== 'function')
    throw new Error(`functions/${name}/${cloud}.ts exports no ${ENTRY_POINT[cloud]}()`);
  return entry as Handler;
}

/**
 * The handler's two arguments as the platform makes them, from the environment:
 * - FC 3.0: the event as a Buffer of the file's bytes; `context.credentials` from ALIBABA_CLOUD_*,
 *   `context.function.timeout` in seconds.
 * - SCF: the event parsed; the credentials are already where SCF puts them (TENCENTCLOUD_* variables).
 * - FunctionGraph: the event parsed; a context of getters (`getSecurityAccessKey()`…) over HUAWEICLOUD_SDK_*.
 * The function's time budget is REMEDIATE_DEADLINE_MS.
 */
export function platformCall(
  cloud: Provider,
  name: FunctionName,
  event: Buffer,
  environment: Environment,
  env: NodeJS.ProcessEnv,
  eventSource: string,
): { event: unknown; context: unknown } {
  // A ConfigError naming the variables when they are unset: the function would only say "no credentials".
  const credentials = credentialsFromEnvironment(cloud, env);
  const requestId = `local-${randomUUID()}`;
  const timeoutMs = environment.REMEDIATE_DEADLINE_MS;
  const startedAt = Date.now();
  const remaining = () => Math.max(0, startedAt + timeoutMs - Date.now());
  const functionName = `remediate-${name}`;
  switch (cloud) {
    case 'alibaba':
      return {
        event,
        context: {
          requestId,
          credentials: {
            accessKeyId: credentials.accessKeyId,
            accessKeySecret: credentials.accessKeySecret,
            securityToken: credentials.securityToken,
          },
          function: {
            name: functionName,
            handler: 'index.handler',
            memory: 512,
            timeout: Math.ceil(timeoutMs / 1000),
          },
          region: env.ALIBABA_CLOUD_REGION_ID ?? 'cn-hangzhou',
        },
      };
    case 'tencent':
      return {
        event: parseEvent(event, eventSource),
        context: {
          request_id: requestId,
          function_name: functionName,
          function_version: '$LATEST',
          namespace: 'default',
          memory_limit_in_mb: 512,
          time_limit_in_ms: timeoutMs,
          getRemainingTimeInMillis: remaining,
        },
      };
    case 'huawei': {
      const log = logger.child({ function: functionName, requestId });
      return {
        event: parseEvent(event, eventSource),
        context: {
          getRequestID: () => requestId,
          getRemainingTimeInMilliSeconds: remaining,
          getRunningTimeInSeconds: () => Math.ceil(timeoutMs / 1000),
          getSecurityAccessKey: () => credentials.accessKeyId,
          getSecuritySecretKey: () => credentials.accessKeySecret,
          getSecurityToken: () => credentials.securityToken ?? '',
          getAccessKey: () => credentials.accessKeyId,
          getSecretKey: () => credentials.accessKeySecret,
          getUserData: (key: string) => env[key],
          getFunctionName: () => functionName,
          getVersion: () => 'latest',
          getMemorySize: () => 512,
          getLogger: () => ({
            info: (m: string) => log.info(m),
            warn: (m: string) => log.warn(m),
            error: (m: string) => log.error(m),
            debug: (m: string) => log.debug(m),
          }),
        },
      };
    }
  }
}

function parseEvent(event: Buffer, source: string): unknown {
  try {
    return JSON.parse(event.toString('utf8'));
  } catch (error) {
    throw new UsageError(`--event ${source}: not JSON: ${(error as Error).message}`);
  }
}

/**
 * Calls functions/<name>/<cloud>.ts's entry point in this process, as the platform would, and returns what
 * it returns; a throw (e.g. RetryLaterError, which makes the platform redeliver) is passed on. The function
 * runtime it opened (state store, engine) is closed afterwards.
 */
export async function invokeLocally(
  name: FunctionName,
  cloud: Provider,
  event: Buffer,
  environment: Environment,
  env: NodeJS.ProcessEnv,
  eventSource: string,
): Promise<unknown> {
  const call = platformCall(cloud, name, event, environment, env, eventSource);
  const handler = loadHandler(name, cloud);
  try {
    return await handler(call.event, call.context);
  } finally {
    await resetFunctionRuntime();
  }
}
