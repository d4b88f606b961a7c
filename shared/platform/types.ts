import type { Credentials } from '../providers/types';
import type { Provider } from '../requests';

/** What a platform adapter makes of one handler call, whatever the platform. */
export interface Invocation {
  provider: Provider;
  credentials: Credentials;
  /** The cloud account the function runs in, from the platform context (FC accountId, SCF uin, …). */
  account?: string | undefined;
  /** Epoch ms by which the function must have answered. */
  deadline: number;
  requestId: string;
}

/** The function's role gave it no credentials: a deployment mistake, said plainly. */
export class MissingCredentialsError extends Error {
  override readonly name = 'MissingCredentialsError';
}

// Leave time to store the outcome and answer before the platform kills the invocation.
export const DEADLINE_MARGIN_MS = 1_500;

export function deadlineFrom(startedAt: number, remainingMs: number | undefined, fallbackMs: number): number {
  const budget =
    remainingMs !== undefined && Number.isFinite(remainingMs) && remainingMs > 0 ? remainingMs : fallbackMs;
  return startedAt + Math.max(1_000, budget - DEADLINE_MARGIN_MS);
}
