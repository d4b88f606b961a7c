import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSoak, type SoakVerdict } from './check';
import { runSoak, SOAK_FAULTS } from './driver';

/**
 * The CI-sized soak (`npm run soak` is the 10,000-request one): 400 requests over the three clouds, each
 * delivered 1–3 times, ≈20 % transient faults, 5 % permanent errors, four worker processes sharing one
 * sqlite file, a few of them SIGKILLed and restarted, then a dry-run pass.
 */
describe('soak: 400 requests, duplicates, faults and kills, on one sqlite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-soak-ci-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let verdict: SoakVerdict;

  it('settles every request exactly as constructed, within two minutes', async () => {
    const facts = await runSoak({
      requests: 400,
      workers: 4,
      state: `sqlite:${join(dir, 'state.db')}`,
      faults: `${SOAK_FAULTS},hang-ms=6000,seed=400`,
      // As in `npm run soak`: client time-outs (≤ 5 s) end every hang, claim leases last ≤ 4.5 s.
      timeoutMs: 6_000,
      kills: { minMs: 2_500, maxMs: 6_000, max: 3 },
      dryRunRequests: 60,
      adversarial: { requests: 30, breaker: 10 },
      maxDurationMs: 100_000,
      seed: 400,
      dir,
    });
    verdict = checkSoak(facts);
    console.log(verdict.text);
    expect(verdict.violations).toEqual([]);
  }, 120_000);

  it('the run exercised what it claims to: faults, duplicates, kills, permanent errors, dry run', () => {
    const s = verdict.summary;
    expect(s.faults.share).toBeGreaterThan(0.1);
    expect(Object.keys(s.faults.byKind).sort()).toEqual(['5xx', 'drop', 'drop-after', 'hang', 'throttle']);
    expect(s.copies).toBeGreaterThan(s.requests);
    expect(s.duplicatesAnswered).toBeGreaterThan(0);
    expect(s.kills).toBeGreaterThan(0);
    expect(s.deadLetters.byReason).toMatchObject({
      'attached-elsewhere': expect.any(Number),
      'last-policy': expect.any(Number),
      permission: expect.any(Number),
      'policy-type-disabled': expect.any(Number),
    });
    expect(s.lost).toBe(0);
    expect(s.wrongDeadLetters).toBe(0);
    expect(s.secondMutatingCalls.unexplained).toBe(0);
    expect(s.secretHits).toBe(0);
    expect(s.dryRun).toMatchObject({ requests: 60, outcomes: { skipped: 60 }, mutatingCalls: 0 });
    expect(s.adversarial.labels).toEqual({ requests: 30, invalidInput: 30, mutatingCalls: 0 });
    expect(s.adversarial.cascade.requests).toBeGreaterThan(0);
    expect(s.adversarial.cascade).toMatchObject({
      exemptAttachments: s.adversarial.cascade.requests,
      mutatingCalls: 0,
      policiesDeleted: 0,
      exemptDetached: 0,
      outcomesNamingIt: s.adversarial.cascade.requests,
    });
    expect(s.adversarial.rotation).toMatchObject({ requests: 30, keys: 4, breaker: 10, circuitOpen: 20 });
    expect(s.adversarial.redrive).toMatchObject({ letters: 20, mutatingCalls: 20, targetsCalledTwice: [] });
  });
});
