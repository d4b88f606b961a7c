import { type Environment, endpointFor, readEnvironment } from '../shared/config/environment';
import { loadRules } from '../shared/config/load-rules';
import type { RulesFile } from '../shared/config/rules';
import { Engine } from '../shared/engine/engine';
import { flushLogs, logger } from '../shared/logger';
import type { Invocation, Platform } from '../shared/platform/platform';
import type { Cloud } from '../shared/providers/cloud';
import { CALL_TIMEOUT_MS, type ProviderContext } from '../shared/providers/types';
import type { Provider } from '../shared/requests';
import { openStateStore } from '../shared/state/open';
import type { StateStore } from '../shared/state/types';

/** What one function invocation works with: the warm container's engine and store, and its own context. */
export interface FunctionScope {
  environment: Environment;
  rules: RulesFile;
  store: StateStore;
  engine: Engine;
  /** How this invocation's requests reach its cloud: the platform's credentials and account, its time-out. */
  context: ProviderContext;
}

interface Container {
  environment: Environment;
  rules: RulesFile;
  store: StateStore;
  engines: Map<Provider, Engine>;
}

/**
 * The composition root of the functions: the environment, rules and state store are read once per warm
 * container (on the first invocation, so a bad setting is an error of that invocation, logged), and the
 * engine is handed the one cloud the entry module imports — which is why a bundle holds one SDK.
 */
export class FunctionRuntime {
  private container: Container | undefined;

  /** The variables the functions read: the platform's environment, or the local runtime's own. */
  constructor(readonly env: NodeJS.ProcessEnv = process.env) {}

  private scope(cloud: Cloud, invocation: Invocation): FunctionScope {
    this.container ??= this.open();
    const { environment, rules, store, engines } = this.container;
    let engine = engines.get(cloud.provider);
    if (!engine) {
      engine = new Engine({ clouds: [cloud], store, rules, logger, dryRun: environment.REMEDIATE_DRY_RUN });
      engines.set(cloud.provider, engine);
    }
    return { environment, rules, store, engine, context: invocationContext(invocation, environment) };
  }

  /**
   * Runs one invocation's work and flushes its log lines before the platform may freeze the container. What
   * fails before the work starts (no credentials in the context, a bad setting) is logged here, then thrown.
   */
  async run<T>(
    platform: Platform,
    cloud: Cloud,
    context: unknown,
    body: (scope: FunctionScope, invocation: Invocation) => Promise<T>,
  ): Promise<T> {
    try {
      let scope: FunctionScope;
      let invocation: Invocation;
      try {
        invocation = platform.invocation(context, this.env);
        scope = this.scope(cloud, invocation);
      } catch (error) {
        logger.error({ err: error }, 'the invocation could not start');
        throw error;
      }
      return await body(scope, invocation);
    } finally {
      await flushLogs();
    }
  }

  /** The store of this container, opened if need be (npm start lists its dead letters). */
  get store(): StateStore {
    this.container ??= this.open();
    return this.container.store;
  }

  /** Closes the store; the next invocation starts from a fresh environment (tests, the local runtime). */
  async close(): Promise<void> {
    const closing = this.container?.store.close();
    this.container = undefined;
    await closing;
  }

  private open(): Container {
    const environment = readEnvironment(this.env);
    return {
      environment,
      rules: loadRules(environment.REMEDIATE_RULES),
      store: openStateStore(environment.REMEDIATE_STATE),
      engines: new Map(),
    };
  }
}

/** The runtime of the deployed functions, configured by the platform's environment. */
export const processRuntime = new FunctionRuntime();

function invocationContext(invocation: Invocation, environment: Environment): ProviderContext {
  // Whole seconds keep the number of distinct SDK clients (cached per time-out) small.
  const remaining = Math.ceil((invocation.deadline - Date.now()) / 1000) * 1000;
  return {
    credentials: invocation.credentials,
    account: invocation.account,
    endpoint: endpointFor(invocation.provider, environment),
    timeoutMs: Math.max(1_000, Math.min(CALL_TIMEOUT_MS, remaining)),
  };
}

/** A function's handler, as its platform calls it. */
export type Handler<T> = (event: unknown, context: unknown) => Promise<T>;

/** A handler over the deployed runtime that can be had over another one (the local runtime's, a test's). */
export type FunctionHandler<T> = Handler<T> & { on(runtime: FunctionRuntime): Handler<T> };

export function functionHandler<T>(make: (runtime: FunctionRuntime) => Handler<T>): FunctionHandler<T> {
  return Object.assign(make(processRuntime), { on: make });
}
