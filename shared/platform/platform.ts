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

/** What a fake handler call carries where the platform would put the function role's credentials. */
export interface FakeCall {
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken?: string | undefined };
  /** The function's time-out. */
  timeoutMs: number;
  requestId?: string;
  /** The deployed function's name (`remediate-<function>`). */
  functionName?: string;
}

/** A serverless platform as our functions meet it: its handler arguments, in and (for tests) out. */
export interface Platform {
  provider: Provider;
  /** The export the platform calls: `handler` on FC and FunctionGraph, `main_handler` on SCF. */
  entryPoint: 'handler' | 'main_handler';
  /** The invocation the handler's context (and, on SCF, the environment) describes. */
  invocation(context: unknown, env: NodeJS.ProcessEnv): Invocation;
  /** The event as the handler receives it, decoded (FC hands over a Buffer of JSON). */
  payload(event: unknown): unknown;
  /**
   * A handler call as the platform makes one, for the local runtime, `remediate invoke` and the tests: the
   * event in the platform's form, the context, and the variables the platform sets (SCF's credentials).
   */
  fake(event: unknown, call: FakeCall): { event: unknown; context: unknown; env: Record<string, string> };
}
