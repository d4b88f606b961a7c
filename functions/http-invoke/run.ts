import type { Environment } from '../../shared/config/environment';
import type { HttpReply, HttpRequestEvent } from '../../shared/events/types';
import { handleInvoke } from '../../shared/http/invoke';
import { logger } from '../../shared/logger';
import { withInvocation } from '../../shared/platform/function-runtime';
import type { Invocation } from '../../shared/platform/types';
import type { StateStore } from '../../shared/state/types';

// Set by the platforms in every function instance: FC (FC_FUNCTION_NAME), SCF (SCF_FUNCTIONNAME),
// FunctionGraph (RUNTIME_FUNC_NAME); see docs/sources.md, "HTTP replay".
const PLATFORM_MARKERS = ['FC_FUNCTION_NAME', 'SCF_FUNCTIONNAME', 'RUNTIME_FUNC_NAME'] as const;

export function runHttpInvoke(
  http: HttpRequestEvent,
  invocation: Invocation,
  env: NodeJS.ProcessEnv = process.env,
): Promise<HttpReply> {
  return withInvocation(invocation, ({ engine, store, environment }) => {
    const refusal = unsharedStoreRefusal(store, environment, env);
    if (refusal) return Promise.resolve(refusal);
    return handleInvoke(http, {
      engine,
      store,
      secret: environment.REMEDIATE_HTTP_SECRET,
      deadline: invocation.deadline,
      onPlatform: true,
    });
  });
}

/**
 * Replay protection remembers used signatures in the state store: a memory or SQLite store is one
 * instance's (and gone after a cold start), so on a platform, where instances come and go, a replay to
 * another one would be accepted. Refused unless the operator says only one instance runs.
 */
function unsharedStoreRefusal(
  store: StateStore,
  environment: Environment,
  env: NodeJS.ProcessEnv,
): HttpReply | undefined {
  const onPlatform = PLATFORM_MARKERS.some((name) => Boolean(env[name]));
  if (!onPlatform || store.kind === 'redis' || environment.REMEDIATE_HTTP_SINGLE_INSTANCE) return undefined;
  const error = `http-invoke refuses to run on a ${store.kind} state store: used signatures must be shared by every instance (REMEDIATE_STATE=redis://…), or set REMEDIATE_HTTP_SINGLE_INSTANCE=true when only one instance can ever run`;
  logger.error({ store: store.kind }, error);
  return {
    statusCode: 500,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error }),
  };
}
