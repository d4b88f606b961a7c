import type { Environment } from '../../shared/config/environment';
import { type HttpReply, type HttpRequestEvent, InvalidEventError } from '../../shared/events/types';
import { handleInvoke } from '../../shared/http/invoke';
import { logger } from '../../shared/logger';
import type { Platform } from '../../shared/platform/platform';
import type { Cloud } from '../../shared/providers/cloud';
import type { StateStore } from '../../shared/state/types';
import { functionHandler } from '../runtime';

export interface HttpParts<T> {
  /** Reads the platform's HTTP trigger event (throws InvalidEventError on a malformed one). */
  parse(payload: unknown): HttpRequestEvent;
  /** Shapes an answer as the platform's trigger expects it. */
  reply(reply: HttpReply): T;
}

// Set by the platforms in every function instance: FC (FC_FUNCTION_NAME), SCF (SCF_FUNCTIONNAME),
// FunctionGraph (RUNTIME_FUNC_NAME); see docs/sources.md, "HTTP replay".
const PLATFORM_MARKERS = ['FC_FUNCTION_NAME', 'SCF_FUNCTIONNAME', 'RUNTIME_FUNC_NAME'] as const;

/**
 * The http-invoke function of one cloud on its platform. Every HTTP request gets an answer in the
 * platform's shape, errors included: a malformed trigger event is a 400, a function without credentials or
 * state a 500, never an unanswered invocation.
 */
export function httpInvoke<T>(platform: Platform, cloud: Cloud, parts: HttpParts<T>) {
  return functionHandler<T>((runtime) => async (event, context) => {
    try {
      return parts.reply(
        await runtime.run(
          platform,
          cloud,
          context,
          ({ engine, store, environment, context: reach }, invocation) => {
            const http = parts.parse(platform.payload(event));
            const refusal = unsharedStoreRefusal(store, environment, runtime.env);
            if (refusal) return Promise.resolve(refusal);
            return handleInvoke(http, {
              engine,
              store,
              secret: environment.REMEDIATE_HTTP_SECRET,
              deadline: invocation.deadline,
              context: reach,
              onPlatform: true,
            });
          },
        ),
      );
    } catch (error) {
      const invalid = error instanceof InvalidEventError;
      if (!invalid) logger.error({ err: error }, 'http-invoke failed');
      const message = invalid ? `event ${error.message}` : 'internal error';
      return parts.reply({
        statusCode: invalid ? 400 : 500,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ error: message }),
      });
    }
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
