import { deadlineFrom, type Invocation, MissingCredentialsError } from '../platform';

/**
 * Tencent SCF: `main_handler(event, context)`; the execution role's temporary credentials are in
 * TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY / TENCENTCLOUD_SESSIONTOKEN (not in the context).
 */
interface ScfContext {
  request_id?: unknown;
  time_limit_in_ms?: unknown;
  getRemainingTimeInMillis?: () => number;
  /** The root account's UIN (context field `tencentcloud_uin`, also TENCENTCLOUD_UIN in the environment). */
  tencentcloud_uin?: unknown;
}

export function scfInvocation(
  context: unknown,
  env: NodeJS.ProcessEnv = process.env,
  startedAt = Date.now(),
): Invocation {
  const c = (context ?? {}) as ScfContext;
  const accessKeyId = env.TENCENTCLOUD_SECRETID;
  const accessKeySecret = env.TENCENTCLOUD_SECRETKEY;
  if (!accessKeyId || !accessKeySecret) {
    throw new MissingCredentialsError(
      'SCF gave no credentials: give the function an execution role (TENCENTCLOUD_SECRETID/SECRETKEY)',
    );
  }
  const limit = typeof c.time_limit_in_ms === 'number' ? c.time_limit_in_ms : 60_000;
  const remaining = typeof c.getRemainingTimeInMillis === 'function' ? c.getRemainingTimeInMillis() : limit;
  return {
    provider: 'tencent',
    credentials: { accessKeyId, accessKeySecret, securityToken: env.TENCENTCLOUD_SESSIONTOKEN || undefined },
    account: uinOf(c.tencentcloud_uin) ?? uinOf(env.TENCENTCLOUD_UIN),
    deadline: deadlineFrom(startedAt, remaining, limit),
    requestId: typeof c.request_id === 'string' ? c.request_id : 'unknown',
  };
}

function uinOf(value: unknown): string | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^\d{1,20}$/.test(text) ? text : undefined;
}
