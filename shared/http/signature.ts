import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * docs/ARCHITECTURE.md, Functions and deployment: `X-Remediate-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<raw body>")>`. A request with an `Idempotency-Key` header signs the key too:
 * "<t>.<key>.<raw body>", so a captured request cannot be replayed as a new order under a new key.
 */
export const SIGNATURE_HEADER = 'x-remediate-signature';
export const SIGNATURE_TOLERANCE_S = 300;
/** How far in the future a signature may be dated (clocks of signer and function differ a little). */
export const FUTURE_SKEW_S = 30;
/** An Idempotency-Key: no '{' or whitespace, so "<t>.<key>.<body>" can never read as another signed body. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export function signBody(secret: string, body: string, unixSeconds: number, idempotencyKey?: string): string {
  return `t=${unixSeconds},v1=${hmac(secret, unixSeconds, body, idempotencyKey)}`;
}

export type SignatureCheck =
  | { ok: true; signature: string; t: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'future' | 'mismatch' };

/**
 * Checks the header against the raw body (and the Idempotency-Key, when sent): a signature older than
 * 5 minutes, or dated more than 30 s ahead, is refused.
 */
export function verifySignature(
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number,
  idempotencyKey?: string,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const t = Number(match[1]);
  const given = match[2] as string;
  if (nowSeconds - t > SIGNATURE_TOLERANCE_S) return { ok: false, reason: 'expired' };
  if (t - nowSeconds > FUTURE_SKEW_S) return { ok: false, reason: 'future' };
  const expected = Buffer.from(hmac(secret, t, body, idempotencyKey), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { ok: false, reason: 'mismatch' };
  return { ok: true, signature: given, t };
}

/** Until when (epoch ms) a signature dated `t` can pass the window: how long it must be remembered. */
export function validUntilMs(t: number): number {
  return (t + SIGNATURE_TOLERANCE_S + 1) * 1000;
}

function hmac(secret: string, t: number, body: string, idempotencyKey: string | undefined): string {
  const signed = idempotencyKey === undefined ? `${t}.${body}` : `${t}.${idempotencyKey}.${body}`;
  return createHmac('sha256', secret).update(signed).digest('hex');
}
