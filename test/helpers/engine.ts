import type { ExecuteOptions } from '../../shared/engine/execute';
import type { RetryPolicy } from '../../shared/engine/retry';
import { ALL_OPERATIONS } from '../../shared/providers/all';
import type { Credentials } from '../../shared/providers/types';

export const SANDBOX_CREDENTIALS: Credentials = { accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret' };

/** The same retry shape as production, with waits short enough for a test. */
export const FAST_RETRIES: Record<string, RetryPolicy> = {
  transient: { maxAttempts: 6, baseMs: 5, capMs: 20 },
  'resource-group-status': { maxAttempts: 10, baseMs: 10, capMs: 40 },
  conflict: { maxAttempts: 10, baseMs: 10, capMs: 40 },
  ambiguous: { maxAttempts: 3, baseMs: 5, capMs: 20 },
};

/** Executor options pointing every provider at one sandbox URL. */
export function sandboxOptions(
  url: string,
  overrides: Partial<ExecuteOptions> = {},
  credentials = SANDBOX_CREDENTIALS,
): ExecuteOptions {
  return {
    operations: ALL_OPERATIONS,
    contextFor: () => ({ credentials, endpoint: url, timeoutMs: 2_000 }),
    deadline: Date.now() + 20_000,
    onPlatform: false,
    retryPolicies: FAST_RETRIES,
    ...overrides,
  };
}
