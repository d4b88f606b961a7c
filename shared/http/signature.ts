import { createHmac, timingSafeEqual } from 'node:crypto';

/** DESIGN §4: `X-Remediate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export const SIGNATURE_HEADER = 'x-remediate-signature';
export const SIGNATURE_TOLERANCE_S = 300;

export function signBody(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmac(secret, unixSeconds, body)}`;
}

export type SignatureCheck =
  | { ok: true; signature: string }
  | { ok: false; reason: 'missing' | 'malformed' | 'expired' | 'mismatch' };

/** Checks the header against the raw body; a signature older (or newer) than 5 minutes is refused. */
export function verifySignature(
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing' };
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const t = Number(match[1]);
  const given = match[2] as string;
  if (Math.abs(nowSeconds - t) > SIGNATURE_TOLERANCE_S) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex'))) return { ok: false, reason: 'mismatch' };
  return { ok: true, signature: given };
}

function hmac(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}
