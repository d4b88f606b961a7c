import { randomUUID } from 'node:crypto';
import type { Platform } from '../platform';
import { fcEventPayload, fcInvocation } from './invocation';

/** Alibaba Function Compute 3.0: `handler(event: Buffer, context)`, the role's credentials in the context. */
export const FC: Platform = {
  provider: 'alibaba',
  entryPoint: 'handler',
  invocation: (context) => fcInvocation(context),
  payload: fcEventPayload,
  fake: (event, call) => ({
    event: Buffer.isBuffer(event)
      ? event
      : Buffer.from(typeof event === 'string' ? event : JSON.stringify(event)),
    context: {
      requestId: call.requestId ?? randomUUID(),
      credentials: {
        accessKeyId: call.credentials.accessKeyId,
        accessKeySecret: call.credentials.accessKeySecret,
        securityToken: call.credentials.securityToken ?? '',
      },
      function: {
        name: call.functionName ?? 'local',
        handler: 'index.handler',
        memory: 512,
        timeout: Math.ceil(call.timeoutMs / 1000),
      },
      region: 'local',
    },
    env: {},
  }),
};
