import { randomUUID } from 'node:crypto';
import {
  credentialsFromEnvironment,
  type Environment,
  endpointFor,
  readEnvironment,
} from '../shared/config/environment';
import { loadRules } from '../shared/config/load-rules';
import type { RulesFile } from '../shared/config/rules';
import { Engine, type EngineConfig } from '../shared/engine/engine';
import { logger } from '../shared/logger';
import { ALL_CLOUDS } from '../shared/providers/all';
import { CALL_TIMEOUT_MS, type ProviderContext } from '../shared/providers/types';
import type { Provider } from '../shared/requests';
import { openStateStore } from '../shared/state/open';
import type { StateStore } from '../shared/state/types';

export interface CliRuntime {
  environment: Environment;
  rules: RulesFile;
  store: StateStore;
  engine: Engine;
  /** How a request for the provider reaches its cloud (a ConfigError naming the variables when unset). */
  contextFor(provider: Provider): ProviderContext;
  /** Identifies this process's claims and locks. */
  owner: string;
  /** The time budget of one request from now (REMEDIATE_DEADLINE_MS). */
  deadline(): number;
  /**
   * Checks once, before the first request, what every request would otherwise fail on one by one: the
   * credentials of each cloud the work touches (a ConfigError naming the variables) and that the state
   * store answers (its StateStoreError, e.g. Redis not reachable). `run` calls it so an error is said once,
   * not once per line.
   */
  preflight(providers: Iterable<Provider>): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions extends Pick<EngineConfig, 'maxActions'> {
  /** The command works on dead letters already there (dlq): a sqlite: file that is not there is a typo. */
  existing?: boolean;
}

/**
 * What the CLI runs with, from the environment (docs/ARCHITECTURE.md, Functions and deployment): rules, state
 * store, credentials per provider (read when first needed, so a command touching one cloud needs only its
 * credentials).
 */
export function openRuntime(env: NodeJS.ProcessEnv = process.env, options: RuntimeOptions = {}): CliRuntime {
  const environment = readEnvironment(env);
  const rules = loadRules(environment.REMEDIATE_RULES);
  // Working on a store that is not there means a mistyped REMEDIATE_STATE (the default store may be new).
  const store = openStateStore(environment.REMEDIATE_STATE, {
    mustExist: options.existing && Boolean(env.REMEDIATE_STATE),
  });
  const contexts = new Map<Provider, ProviderContext>();
  const contextFor = (provider: Provider): ProviderContext => {
    let context = contexts.get(provider);
    if (!context) {
      context = providerContext(provider, environment, env);
      contexts.set(provider, context);
    }
    return context;
  };
  const engine = new Engine({
    clouds: ALL_CLOUDS,
    store,
    rules,
    logger,
    dryRun: environment.REMEDIATE_DRY_RUN,
    maxActions: options.maxActions,
  });
  return {
    environment,
    rules,
    store,
    engine,
    contextFor,
    owner: randomUUID(),
    deadline: () => Date.now() + environment.REMEDIATE_DEADLINE_MS,
    preflight: async (providers) => {
      for (const provider of new Set(providers)) contextFor(provider);
      await store.countDeadLetters();
    },
    close: () => store.close(),
  };
}

/**
 * How the CLI reaches one cloud: the standard credential variables (a ConfigError naming them when unset),
 * REMEDIATE_<CLOUD>_ENDPOINT or the public endpoint, and a per-call time-out within REMEDIATE_DEADLINE_MS.
 */
export function providerContext(
  provider: Provider,
  environment: Environment,
  env: NodeJS.ProcessEnv = process.env,
): ProviderContext {
  return {
    credentials: credentialsFromEnvironment(provider, env),
    endpoint: endpointFor(provider, environment),
    timeoutMs: Math.min(CALL_TIMEOUT_MS, environment.REMEDIATE_DEADLINE_MS),
  };
}

/** Runs a command body with a runtime and always closes its store. */
export async function withRuntime<T>(
  body: (runtime: CliRuntime) => Promise<T>,
  options: RuntimeOptions = {},
): Promise<T> {
  const runtime = openRuntime(process.env, options);
  try {
    return await body(runtime);
  } finally {
    await runtime.close();
  }
}
