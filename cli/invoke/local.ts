import { randomUUID } from 'node:crypto';
import { type FunctionHandler, FunctionRuntime } from '../../functions/runtime';
import { credentialsFromEnvironment, type Environment } from '../../shared/config/environment';
import { PLATFORMS } from '../../shared/platform/all';
import { PROVIDERS, type Provider } from '../../shared/requests';
import { UsageError } from '../errors';

/**
 * The functions (docs/ARCHITECTURE.md, Functions and deployment), each at functions/<function>/<cloud>.ts.
 */
export const FUNCTIONS = ['audit-log', 'queue-cleanup', 'http-invoke'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

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
function loadHandler(name: FunctionName, cloud: Provider): FunctionHandler<unknown> {
  const module = require(`../../functions/${name}/${cloud}`) as Record<string, unknown>;
  const entry = module[PLATFORMS[cloud].entryPoint];
  if (typeof entry !== 'function')
    throw new Error(`functions/${name}/${cloud}.ts exports no ${PLATFORMS[cloud].entryPoint}()`);
  return entry as FunctionHandler<unknown>;
}

/**
 * The handler's two arguments as the platform makes them (shared/platform/<platform>: the same fake the
 * local runtime and the tests use), from the environment's credentials: FC gets the file's bytes as a
 * Buffer, SCF and FunctionGraph the event parsed. The function's time budget is REMEDIATE_DEADLINE_MS.
 */
export function platformCall(
  cloud: Provider,
  name: FunctionName,
  event: Buffer,
  environment: Environment,
  env: NodeJS.ProcessEnv,
  eventSource: string,
): { event: unknown; context: unknown; env: Record<string, string> } {
  // A ConfigError naming the variables when they are unset: the function would only say "no credentials".
  const credentials = credentialsFromEnvironment(cloud, env);
  const platform = PLATFORMS[cloud];
  return platform.fake(cloud === 'alibaba' ? event : parseEvent(event, eventSource), {
    credentials,
    timeoutMs: environment.REMEDIATE_DEADLINE_MS,
    requestId: `local-${randomUUID()}`,
    functionName: `remediate-${name}`,
  });
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
  const runtime = new FunctionRuntime({ ...env, ...call.env });
  try {
    return await loadHandler(name, cloud).on(runtime)(call.event, call.context);
  } finally {
    await runtime.close();
  }
}
