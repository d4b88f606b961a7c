import type { HttpReply, HttpRequestEvent } from '../../shared/events/types';
import { handleInvoke } from '../../shared/http/invoke';
import { withInvocation } from '../../shared/platform/function-runtime';
import type { Invocation } from '../../shared/platform/types';

export function runHttpInvoke(http: HttpRequestEvent, invocation: Invocation): Promise<HttpReply> {
  return withInvocation(invocation, ({ engine, store, environment }) =>
    handleInvoke(http, {
      engine,
      store,
      secret: environment.REMEDIATE_HTTP_SECRET,
      deadline: invocation.deadline,
      onPlatform: true,
    }),
  );
}
