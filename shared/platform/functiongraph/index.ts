import { randomUUID } from 'node:crypto';
import { logger } from '../../logger';
import type { Platform } from '../platform';
import { functionGraphInvocation } from './invocation';

/** Huawei FunctionGraph: `handler(event, context)`, the agency's credentials from context getters. */
export const FUNCTIONGRAPH: Platform = {
  provider: 'huawei',
  entryPoint: 'handler',
  invocation: (context) => functionGraphInvocation(context),
  payload: (event) => event,
  fake: (event, call) => {
    const started = Date.now();
    const requestId = call.requestId ?? randomUUID();
    return {
      event,
      context: {
        getSecurityAccessKey: () => call.credentials.accessKeyId,
        getSecuritySecretKey: () => call.credentials.accessKeySecret,
        getSecurityToken: () => call.credentials.securityToken ?? '',
        getRemainingTimeInMilliSeconds: () => call.timeoutMs - (Date.now() - started),
        getRunningTimeInSeconds: () => call.timeoutMs / 1000,
        getRequestID: () => requestId,
        getAccessKey: () => call.credentials.accessKeyId,
        getSecretKey: () => call.credentials.accessKeySecret,
        getFunctionName: () => call.functionName ?? 'local',
        getVersion: () => 'latest',
        getMemorySize: () => 512,
        getLogger: () => {
          const log = logger.child({ function: call.functionName ?? 'local', requestId });
          return {
            info: (m: string) => log.info(m),
            warn: (m: string) => log.warn(m),
            error: (m: string) => log.error(m),
            debug: (m: string) => log.debug(m),
          };
        },
      },
      env: {},
    };
  },
};
