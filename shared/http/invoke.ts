import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Delivery } from '../engine/delivery';
import type { Engine } from '../engine/engine';
import type { HttpReply, HttpRequestEvent } from '../events/types';
import type { Outcome } from '../outcomes';
import type { ProviderContext } from '../providers/types';
import { parseRequest, type RemediationRequest } from '../requests';
import type { StateStore } from '../state/types';
import { firstIssue } from '../zod-errors';
import { IDEMPOTENCY_KEY, SIGNATURE_HEADER, validUntilMs, verifySignature } from './signature';

const MAX_REQUESTS = 100;
// A hundred requests fit in a few dozen KiB; anything far larger is refused before any work.
const MAX_BODY_BYTES = 256 * 1024;
const bodySchema = z
  .object({ requests: z.array(z.unknown()).min(1).max(MAX_REQUESTS), dryRun: z.boolean().optional() })
  .strict();

export interface InvokeDependencies {
  engine: Engine;
  store: StateStore;
  /** REMEDIATE_HTTP_SECRET; without it nothing is ever acted on. */
  secret: string | undefined;
  deadline: number;
  /** How the requests reach the cloud (the invocation's credentials). */
  context: ProviderContext;
  onPlatform: boolean;
  /** The clock of the signature window; the store's (Redis TIME when shared) by default. */
  now?: () => number | Promise<number>;
}

/**
 * The authenticated HTTP invoke (docs/ARCHITECTURE.md, Functions and deployment): a signed body `{requests,
 * dryRun?}`; 401 for a missing, forged, expired or replayed signature; 400 naming the first invalid field
 * (nothing is done); 200 with one outcome per request, or 409 with Retry-After when another instance holds
 * one of them.
 */
export async function handleInvoke(http: HttpRequestEvent, deps: InvokeDependencies): Promise<HttpReply> {
  if (http.method.toUpperCase() !== 'POST') return reply(405, { error: 'use POST' }, { allow: 'POST' });
  if (Buffer.byteLength(http.body) > MAX_BODY_BYTES)
    return reply(413, { error: 'body: larger than 256 KiB' });
  if (!deps.secret)
    return reply(500, { error: 'the function has no REMEDIATE_HTTP_SECRET: refusing every request' });
  const idempotencyKey = http.headers['idempotency-key'] || undefined;
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey))
    return reply(400, { error: 'Idempotency-Key: must be 1 to 128 letters, digits or . _ : -' });
  // One clock for the window and the memory of used signatures: the shared store's, so instances whose
  // clocks disagree still agree on when a signature stops being valid.
  const nowMs = await (deps.now ?? (() => deps.store.now()))();
  const check = verifySignature(
    http.headers[SIGNATURE_HEADER],
    http.body,
    deps.secret,
    Math.floor(nowMs / 1000),
    idempotencyKey,
  );
  if (!check.ok) return reply(401, { error: `signature ${check.reason}` });
  // A signature is good once, remembered for as long as its timestamp keeps it valid: a replayed request
  // (even a legitimate retry) must be signed again.
  const fresh = await deps.store.rememberOnce(
    `http-signature:${check.signature}`,
    Math.max(1_000, validUntilMs(check.t) - nowMs),
    nowMs,
  );
  if (!fresh) return reply(401, { error: 'signature replayed' });

  let json: unknown;
  try {
    json = JSON.parse(http.body);
  } catch {
    return reply(400, { error: 'body: not valid JSON' });
  }
  const body = bodySchema.safeParse(json);
  if (!body.success) {
    const { field, rule, unknownKeys } = firstIssue(body.error, 'body');
    return reply(400, {
      error: unknownKeys ? `${unknownKeys.join(', ')}: is not a field of the body` : `${field}: ${rule}`,
    });
  }
  const requests: RemediationRequest[] = [];
  for (const [index, item] of body.data.requests.entries()) {
    const parsed = parseRequest(item);
    if (!parsed.ok) return reply(400, { error: `requests.${index}.${parsed.field}: ${parsed.rule}` });
    requests.push(body.data.dryRun ? { ...parsed.request, dryRun: true } : parsed.request);
  }

  // The caller's (signed) Idempotency-Key makes a re-signed retry of the same order a no-op; without one,
  // the body is the key.
  const base = idempotencyKey ?? createHash('sha256').update(http.body).digest('hex');
  const outcomes: Outcome[] = [];
  for (const [index, request] of requests.entries()) {
    const delivery: Delivery = {
      trigger: 'http',
      eventId: `http:${base}:${index}`,
      explicit: true,
      deadline: deps.deadline,
      context: deps.context,
      onPlatform: deps.onPlatform,
    };
    outcomes.push(await deps.engine.handle(request, delivery));
  }
  const busy = outcomes.some((o) => o.status === 'retry-later');
  return busy ? reply(409, { outcomes }, { 'retry-after': '30' }) : reply(200, { outcomes });
}

function reply(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpReply {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
