import * as z from 'zod';
import { deadlineFrom, type Invocation, MissingCredentialsError } from '../platform';

/** Alibaba Function Compute 3.0: `handler(event: Buffer, context)`, credentials of the function's role in the context. */
const fcContext = z.object({
  requestId: z.string().default('unknown'),
  credentials: z
    .object({
      accessKeyId: z.string().min(1),
      accessKeySecret: z.string().min(1),
      securityToken: z.string().optional(),
    })
    .optional(),
  function: z.object({ timeout: z.number().positive().optional() }).partial().optional(),
  // The account the function (and its role) runs in; FC_ACCOUNT_ID in the environment says the same.
  accountId: z
    .union([z.string().regex(/^\d{1,32}$/), z.number().int().nonnegative()])
    .optional()
    .catch(undefined),
});

const DEFAULT_TIMEOUT_S = 60;

export function fcInvocation(context: unknown, startedAt = Date.now()): Invocation {
  const parsed = fcContext.safeParse(context);
  const credentials = parsed.success ? parsed.data.credentials : undefined;
  if (!parsed.success || !credentials) {
    throw new MissingCredentialsError(
      'Function Compute gave no credentials: give the function a role (context.credentials)',
    );
  }
  // The Node.js context has no remaining-time call: the budget is the configured timeout from our start.
  const timeoutMs = (parsed.data.function?.timeout ?? DEFAULT_TIMEOUT_S) * 1000;
  return {
    provider: 'alibaba',
    credentials: {
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      securityToken: credentials.securityToken || undefined,
    },
    account: parsed.data.accountId === undefined ? undefined : String(parsed.data.accountId),
    deadline: deadlineFrom(startedAt, timeoutMs, timeoutMs),
    requestId: parsed.data.requestId,
  };
}

/** FC hands events over as a Buffer of JSON (a string or object in local tests). */
export function fcEventPayload(event: unknown): unknown {
  const text = Buffer.isBuffer(event)
    ? event.toString('utf8')
    : typeof event === 'string'
      ? event
      : undefined;
  if (text === undefined) return event;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
