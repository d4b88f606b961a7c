/**
 * `npm run soak`: 10,000 requests over the three clouds on Redis, 20 % transient faults, duplicates,
 * workers SIGKILLed and restarted; prints the summary and exits non-zero when an invariant fails.
 *
 * Options: --requests N (10000) --workers N (4) --state SPEC (redis://127.0.0.1:6379/12, a database of
 * its own) --seed N (random) --minutes N (9.5, the bound on the whole run) --dir DIR (a fresh temp dir).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkSoak } from './check';
import { runSoak, SOAK_FAULTS } from './driver';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '10000' },
      workers: { type: 'string', default: '4' },
      state: { type: 'string', default: 'redis://127.0.0.1:6379/12' },
      seed: { type: 'string', default: String(Math.floor(Math.random() * 2 ** 31)) },
      minutes: { type: 'string', default: '9.5' },
      dir: { type: 'string' },
    },
  });
  const seed = Number(values.seed);
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'remediate-soak-'));
  const started = Date.now();
  console.log(`soak: seed ${seed}, output in ${dir}`);
  const facts = await runSoak({
    requests: Number(values.requests),
    workers: Number(values.workers),
    state: values.state,
    // A 6 s function time-out gives every call a client time-out of at most 5 s (the remaining time,
    // rounded up), so each 6 s hang ends at the client's time-out; it also keeps a killed instance's
    // claim leases (≤ 4.5 s) short.
    faults: `${SOAK_FAULTS},hang-ms=6000,seed=${seed}`,
    timeoutMs: 6_000,
    kills: { minMs: 4_000, maxMs: 12_000, max: 1_000 },
    // Issue 11's figures: 600 account labels; 600 requests under a breaker of 50.
    adversarial: { requests: Math.min(600, Number(values.requests)), breaker: 50 },
    dryRunRequests: Math.min(1_000, Math.ceil(Number(values.requests) / 10)),
    maxDurationMs: Number(values.minutes) * 60_000,
    seed,
    dir,
    progress: (line) => console.log(`[${Math.round((Date.now() - started) / 1000)}s] ${line}`),
  });
  const verdict = checkSoak(facts);
  writeFileSync(join(dir, 'summary.json'), `${JSON.stringify(verdict.summary, null, 2)}\n`);
  console.log(verdict.text);
  return verdict.violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
