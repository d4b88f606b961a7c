import { AsyncLocalStorage } from 'node:async_hooks';
import { type Environment, endpointFor, readEnvironment } from '../config/environment';
import { loadRules } from '../config/load-rules';
import { Engine } from '../engine/engine';
import { flushLogs, logger } from '../logger';
import { CALL_TIMEOUT_MS, type ProviderContext } from '../providers/types';
import type { Provider } from '../requests';
import { openStateStore } from '../state/open';
import type { StateStore } from '../state/types';
import type { Invocation } from './types';

export interface FunctionRuntime {
  environment: Environment;
  store: StateStore;
  engine: Engine;
}

// One engine and store per warm container; each invocation's credentials and deadline travel with its
// async context, so concurrent invocations in one instance never see each other's.
const current = new AsyncLocalStorage<Invocation>();
let runtime: FunctionRuntime | undefined;

export function functionRuntime(): FunctionRuntime {
  if (runtime) return runtime;
  const environment = readEnvironment();
  const store = openStateStore(environment.REMEDIATE_STATE);
  const engine = new Engine({
    store,
    rules: loadRules(environment.REMEDIATE_RULES),
    logger,
    dryRun: environment.REMEDIATE_DRY_RUN,
    contextFor: (provider: Provider): ProviderContext => {
      const invocation = current.getStore();
      if (!invocation) throw new Error('no invocation in progress');
      // Whole seconds keep the number of distinct SDK clients (cached per time-out) small.
      const remaining = Math.ceil((invocation.deadline - Date.now()) / 1000) * 1000;
      return {
        credentials: invocation.credentials,
        account: invocation.account,
        endpoint: endpointFor(provider, environment),
        timeoutMs: Math.max(1_000, Math.min(CALL_TIMEOUT_MS, remaining)),
      };
    },
  });
  runtime = { environment, store, engine };
  return runtime;
}

export function withInvocation<T>(
  invocation: Invocation,
  body: (runtime: FunctionRuntime) => Promise<T>,
): Promise<T> {
  return current.run(invocation, async () => {
    try {
      return await body(functionRuntime());
    } finally {
      await flushLogs();
    }
  });
}

/** Tests and the local runtime start each scenario from a fresh environment. */
export async function resetFunctionRuntime(): Promise<void> {
  const closing = runtime?.store.close();
  runtime = undefined;
  await closing;
}
