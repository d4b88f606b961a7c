import {
  credentialsFromEnvironment,
  type Environment,
  endpointFor,
  readEnvironment,
} from '../shared/config/environment';
import type { ExecuteOptions } from '../shared/engine/execute';
import type { ProviderContext } from '../shared/providers/types';
import type { Provider } from '../shared/requests';

/** One HTTP call never waits longer than this, so a hung endpoint still leaves time to retry. */
const CALL_TIMEOUT_MS = 10_000;

export interface CliRuntime {
  environment: Environment;
  dryRun: boolean;
  /** Fresh options per request: the deadline starts when the request does. */
  executeOptions(): ExecuteOptions;
}

/** What the CLI runs with, from the environment (DESIGN §4); a bad variable fails naming it. */
export function runtimeFromEnvironment(env: NodeJS.ProcessEnv = process.env): CliRuntime {
  const environment = readEnvironment(env);
  const contexts = new Map<Provider, ProviderContext>();
  const contextFor = (provider: Provider): ProviderContext => {
    let context = contexts.get(provider);
    if (!context) {
      context = {
        credentials: credentialsFromEnvironment(provider, env),
        endpoint: endpointFor(provider, environment),
        timeoutMs: Math.min(CALL_TIMEOUT_MS, environment.REMEDIATE_DEADLINE_MS),
      };
      contexts.set(provider, context);
    }
    return context;
  };
  return {
    environment,
    dryRun: environment.REMEDIATE_DRY_RUN,
    executeOptions: () => ({
      contextFor,
      deadline: Date.now() + environment.REMEDIATE_DEADLINE_MS,
      // The CLI has no platform to redeliver: what is still failing at the deadline is dead-lettered.
      onPlatform: false,
    }),
  };
}
