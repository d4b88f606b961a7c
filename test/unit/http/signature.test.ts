import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_S,
  signBody,
  verifySignature,
} from '../../../shared/http/signature';

const SECRET = 'http-secret-0123456789abcdef';
const BODY = '{"requests":[{"provider":"huawei","operation":"detach-agency-policy"}]}';
const T = 1_763_625_600;

/**
 * docs/ARCHITECTURE.md, Functions and deployment, computed independently: `t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<raw body>")>`.
 */
const expectedHeader = (secret: string, t: number, body: string) =>
  `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;

describe('signBody', () => {
  test('writes the documented X-Remediate-Signature header', () => {
    expect(signBody(SECRET, BODY, T)).toBe(expectedHeader(SECRET, T, BODY));
    expect(SIGNATURE_HEADER).toBe('x-remediate-signature');
  });
});

describe('verifySignature', () => {
  const signed = signBody(SECRET, BODY, T);

  test('accepts its own signature and returns the signature it checked', () => {
    const check = verifySignature(signed, BODY, SECRET, T);
    expect(check).toEqual({ ok: true, signature: signed.split('v1=')[1], t: T });
  });

  test('accepts surrounding whitespace, as headers may carry it', () => {
    expect(verifySignature(`  ${signed} `, BODY, SECRET, T).ok).toBe(true);
  });

  test('fresh for five minutes after its time; dated more than 30 s ahead, refused as future', () => {
    expect(SIGNATURE_TOLERANCE_S).toBe(300);
    expect(verifySignature(signed, BODY, SECRET, T + 300).ok).toBe(true);
    expect(verifySignature(signed, BODY, SECRET, T + 301)).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature(signed, BODY, SECRET, T + 6 * 60)).toEqual({ ok: false, reason: 'expired' });
    // A signature dated ahead would stay valid (and need remembering) for longer than five minutes.
    expect(verifySignature(signed, BODY, SECRET, T - 30).ok).toBe(true);
    expect(verifySignature(signed, BODY, SECRET, T - 31)).toEqual({ ok: false, reason: 'future' });
    expect(verifySignature(signed, BODY, SECRET, T - 300)).toEqual({ ok: false, reason: 'future' });
  });

  test('an Idempotency-Key is signed with the body: a new key on a captured request does not verify', () => {
    const keyed = signBody(SECRET, BODY, T, 'change-1');
    expect(verifySignature(keyed, BODY, SECRET, T, 'change-1').ok).toBe(true);
    expect(verifySignature(keyed, BODY, SECRET, T, 'change-2')).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(signed, BODY, SECRET, T, 'change-1')).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(keyed, BODY, SECRET, T)).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('missing', () => {
    expect(verifySignature(undefined, BODY, SECRET, T)).toEqual({ ok: false, reason: 'missing' });
    expect(verifySignature('', BODY, SECRET, T)).toEqual({ ok: false, reason: 'missing' });
  });

  test.each([
    ['no t', signed.replace(/^t=\d+,/, '')],
    ['no v1', `t=${T}`],
    ['another scheme', signed.replace('v1=', 'v0=')],
    ['upper-case hex', signed.replace(/v1=(.*)$/, (_, hex: string) => `v1=${hex.toUpperCase()}`)],
    ['a short digest', signed.slice(0, -2)],
    ['a long digest', `${signed}00`],
    ['fields swapped', `v1=${signed.split('v1=')[1]},t=${T}`],
    ['a negative t', signed.replace(`t=${T}`, `t=-${T}`)],
    ['a fractional t', signed.replace(`t=${T}`, `t=${T}.5`)],
    ['two signatures', `${signed},v1=${'0'.repeat(64)}`],
  ])('malformed: %s', (_name, header) => {
    expect(verifySignature(header, BODY, SECRET, T)).toEqual({ ok: false, reason: 'malformed' });
  });

  test('a wrong secret, another body or another t do not match', () => {
    expect(verifySignature(signBody(`${SECRET}x`, BODY, T), BODY, SECRET, T)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifySignature(signed, `${BODY} `, SECRET, T)).toEqual({ ok: false, reason: 'mismatch' });
    const movedT = signed.replace(`t=${T}`, `t=${T + 1}`);
    expect(verifySignature(movedT, BODY, SECRET, T)).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('the raw body is signed: re-serialised JSON with the same meaning does not match', () => {
    const reformatted = JSON.stringify(JSON.parse(BODY), null, 2);
    expect(verifySignature(signed, reformatted, SECRET, T)).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('property: every signature verifies, and any one-character change to the body breaks it', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 16 }),
        fc.string({ unit: 'grapheme', minLength: 1 }),
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.nat(),
        (secret, body, t, at) => {
          const header = signBody(secret, body, t);
          expect(verifySignature(header, body, secret, t)).toMatchObject({ ok: true });
          const i = at % body.length;
          const changed = `${body.slice(0, i)}${body[i] === 'x' ? 'y' : 'x'}${body.slice(i + 1)}`;
          expect(verifySignature(header, changed, secret, t)).toEqual({ ok: false, reason: 'mismatch' });
        },
      ),
      { numRuns: 200 },
    );
  });
});
