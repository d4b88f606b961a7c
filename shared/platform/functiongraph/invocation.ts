import { deadlineFrom, type Invocation, MissingCredentialsError } from '../platform';

/** Huawei FunctionGraph: `handler(event, context)`; the agency's temporary credentials come from context getters. */
interface FunctionGraphContext {
  getSecurityAccessKey?: () => string;
  getSecuritySecretKey?: () => string;
  getSecurityToken?: () => string;
  getRemainingTimeInMilliSeconds?: () => number;
  getRunningTimeInSeconds?: () => number;
  getRequestID?: () => string;
}

// The context documents no domain (account) id getter, so the account comes from the caller identity
// of the agency's key, asked once per key (shared/providers/caller-identity.ts).
export function functionGraphInvocation(context: unknown, startedAt = Date.now()): Invocation {
  const c = (context ?? {}) as FunctionGraphContext;
  const accessKeyId = c.getSecurityAccessKey?.();
  const accessKeySecret = c.getSecuritySecretKey?.();
  if (!accessKeyId || !accessKeySecret) {
    throw new MissingCredentialsError(
      'FunctionGraph gave no credentials: give the function an agency (context.getSecurityAccessKey)',
    );
  }
  const timeoutMs = (c.getRunningTimeInSeconds?.() ?? 60) * 1000;
  return {
    provider: 'huawei',
    credentials: { accessKeyId, accessKeySecret, securityToken: c.getSecurityToken?.() || undefined },
    deadline: deadlineFrom(startedAt, c.getRemainingTimeInMilliSeconds?.(), timeoutMs),
    requestId: c.getRequestID?.() ?? 'unknown',
  };
}
