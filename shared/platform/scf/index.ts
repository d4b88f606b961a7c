import { randomUUID } from 'node:crypto';
import type { Platform } from '../platform';
import { scfInvocation } from './invocation';

/** Tencent SCF: `main_handler(event, context)`, the execution role's credentials in the environment. */
export const SCF: Platform = {
  provider: 'tencent',
  entryPoint: 'main_handler',
  invocation: (context, env) => scfInvocation(context, env),
  payload: (event) => event,
  fake: (event, call) => {
    const started = Date.now();
    return {
      event,
      context: {
        request_id: call.requestId ?? randomUUID(),
        function_name: call.functionName ?? 'local',
        function_version: '$LATEST',
        namespace: 'default',
        memory_limit_in_mb: 512,
        time_limit_in_ms: call.timeoutMs,
        getRemainingTimeInMillis: () => call.timeoutMs - (Date.now() - started),
      },
      env: {
        TENCENTCLOUD_SECRETID: call.credentials.accessKeyId,
        TENCENTCLOUD_SECRETKEY: call.credentials.accessKeySecret,
        TENCENTCLOUD_SESSIONTOKEN: call.credentials.securityToken ?? '',
      },
    };
  },
};
