import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSeed } from '../../../infra/sandbox/seeds';
import { idempotencyKey } from '../../../shared/engine/idempotency-key';
import { parseRequest } from '../../../shared/requests';
import { SqliteStore } from '../../../shared/state/sqlite';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';
import {
  alibabaLine,
  DEV,
  huaweiLine,
  jsonLines,
  runCliWithInput,
  tencentLine,
  type Workspace,
  workspace,
} from './bulk-fixture';

const sandbox = useSandbox(() => loadSeed('demo'));
let space: Workspace;
const env = () => ({ ...sandboxEnvironment(sandbox.current.url), REMEDIATE_STATE: space.state });
const totals = () => sandbox.current.calls.totals();

beforeEach(() => {
  sandbox.current.reset();
  space = workspace();
});
afterEach(() => space.remove());

/** The outcome lines (with `line`) and the summary, which must come last. */
function parseRun(stdout: string) {
  const lines = jsonLines(stdout);
  const summary = lines.at(-1)?.summary as Record<string, number> | undefined;
  expect(summary, 'summary line last').toBeDefined();
  const outcomes = lines.slice(0, -1);
  for (const outcome of outcomes) expect(outcome.line).toEqual(expect.any(Number));
  const byLine = new Map(outcomes.map((o) => [o.line as number, o]));
  return { outcomes, byLine, summary: summary as Record<string, number> };
}

// Each CLI process costs about a second: the time-outs are generous for a loaded machine.
describe('remediate run', () => {
  it('prints one outcome per input line and a summary; invalid lines are dead-lettered; a re-run is all duplicates', async () => {
    const file = space.jsonl('bulk.jsonl', [
      alibabaLine('mallory@corp.onaliyun.com'),
      '',
      '{"provider": "alibaba", not json',
      alibabaLine('eve@corp.onaliyun.com', { policyName: 'Admin Access' }),
      tencentLine(100002, 100000000003, 'MEMBER'),
      huaweiLine('a5c0e3f1-full-access', '5b3e0c1f-ci-deployer'),
      alibabaLine('alice@corp.onaliyun.com'),
    ]);
    const first = await runCli(['run', file, '--json'], env());
    expect(first.code, first.stderr).toBe(0);
    const { outcomes, byLine, summary } = parseRun(first.stdout);
    expect(outcomes).toHaveLength(6);
    expect([...byLine.keys()].sort((a, b) => a - b)).toEqual([1, 3, 4, 5, 6, 7]);
    expect(byLine.get(1)).toMatchObject({ status: 'detached', operation: 'alibaba/detach-policy' });
    expect(byLine.get(3)).toMatchObject({ status: 'dead-lettered', reason: 'invalid-input' });
    expect(byLine.get(4)).toMatchObject({
      status: 'dead-lettered',
      reason: 'invalid-input',
      hint: expect.stringMatching(/^policyName: may contain only letters, digits and hyphens/),
    });
    expect(byLine.get(5)).toMatchObject({ status: 'dead-lettered', reason: 'last-policy' });
    expect(byLine.get(6)).toMatchObject({ status: 'detached', operation: 'huawei/detach-agency-policy' });
    expect(byLine.get(7)).toMatchObject({ status: 'already-compliant' });
    expect(summary).toMatchObject({
      total: 6,
      detached: 2,
      'dead-lettered': 3,
      'already-compliant': 1,
      durationMs: expect.any(Number),
    });
    // Piped: no progress bar, stderr holds only the JSON log lines (one per outcome).
    const logs = jsonLines(first.stderr);
    expect(logs.filter((l) => 'status' in l)).toHaveLength(6);
    expect(first.stderr).not.toMatch(/\r|remediate \[/);
    expect(totals()).toMatchObject({ mutating: 4, applied: 2 });
    const after = totals();

    // The invalid lines kept what was read, for a person to fix.
    const store = new SqliteStore(space.statePath);
    try {
      const letters = (await store.listDeadLetters(10)).map((l) => l.record as Record<string, unknown>);
      expect(letters.map((l) => l.reason).sort()).toEqual(['invalid-input', 'invalid-input', 'last-policy']);
      expect(letters.map((l) => l.request)).toContainEqual(
        alibabaLine('eve@corp.onaliyun.com', { policyName: 'Admin Access' }),
      );
      expect(letters.map((l) => l.request)).toContainEqual({
        invalidJson: '{"provider": "alibaba", not json',
      });
    } finally {
      await store.close();
    }

    const again = await runCli(['run', file, '--json'], env());
    expect(again.code, again.stderr).toBe(0);
    const rerun = parseRun(again.stdout);
    for (const [line, outcome] of byLine)
      expect(rerun.byLine.get(line)).toEqual({ ...outcome, duplicate: true });
    expect(rerun.summary).toMatchObject({
      total: 6,
      detached: 2,
      'dead-lettered': 3,
      'already-compliant': 1,
    });
    expect(totals()).toEqual(after);
    const store2 = new SqliteStore(space.statePath);
    expect(await store2.countDeadLetters()).toBe(3);
    await store2.close();
  }, 60_000);

  it('--max 2: two of four mutating lines for one account act, two are dead-lettered circuit-open', async () => {
    const file = space.jsonl('max.jsonl', [
      alibabaLine('mallory@corp.onaliyun.com'),
      alibabaLine('breakglass@corp.onaliyun.com'),
      alibabaLine('ci-deployer', {
        resourceGroupId: DEV,
        policyName: 'AliyunOSSFullAccess',
        principalType: 'ServiceRole',
      }),
      alibabaLine('developers', {
        resourceGroupId: DEV,
        policyName: 'AliyunECSReadOnlyAccess',
        principalType: 'IMSGroup',
      }),
    ]);
    const run = await runCli(['run', file, '--max', '2', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const { outcomes, summary } = parseRun(run.stdout);
    expect(outcomes.filter((o) => o.status === 'detached')).toHaveLength(2);
    const open = outcomes.filter((o) => o.reason === 'circuit-open');
    expect(open).toHaveLength(2);
    for (const o of open) expect(o).toMatchObject({ status: 'dead-lettered', attempts: 0 });
    expect(summary).toMatchObject({ total: 4, detached: 2, 'dead-lettered': 2 });
    expect(totals()).toMatchObject({ mutating: 2, applied: 2 });
    // Each breaker refusal is one error line on stderr.
    const errors = jsonLines(run.stderr).filter((l) => (l.level as number) >= 50);
    expect(errors).toHaveLength(2);
    for (const e of errors) expect(e.msg).toMatch(/cap of 2 mutating calls \(--max 2\)/);
  }, 60_000);

  it('reads stdin with -, prints plain text without --json, refuses bad flags with exit 2, exits 1 while a line must be retried', async () => {
    // A line another process holds the claim of: the run cannot settle it.
    const held = { ...tencentLine(100001, 1001, 'NODE'), eventId: 'evt-held' };
    const parsed = parseRequest(held);
    if (!parsed.ok) throw new Error('bad request');
    const store = new SqliteStore(space.statePath);
    await store.claim(idempotencyKey('evt-held', parsed.request), 'another-process', 60_000, Date.now());
    await store.close();
    const heldFile = space.jsonl('held.jsonl', [
      held,
      huaweiLine('c9e2a5b3-obs-admin', '5b3e0c1f-ci-deployer'),
    ]);

    const stdin = [alibabaLine('mallory@corp.onaliyun.com'), '', alibabaLine('breakglass@corp.onaliyun.com')]
      .map((l) => (typeof l === 'string' ? l : JSON.stringify(l)))
      .join('\n');
    const plainFile = space.jsonl('plain.jsonl', [
      alibabaLine('storage-team', {
        resourceGroupId: '1234567890123456',
        policyType: 'Custom',
        policyName: 'OSS-Administrator',
        principalType: 'IMSGroup',
      }),
    ]);
    const [piped, plain, concurrency, max, missing, heldRun] = await Promise.all([
      runCliWithInput(['run', '-', '--json'], env(), stdin),
      runCli(['run', plainFile], env()),
      runCli(['run', heldFile, '--concurrency', '0'], env()),
      runCli(['run', heldFile, '--max', 'many'], env()),
      runCli(['run', `${space.dir}/nope.jsonl`], env()),
      runCli(['run', heldFile, '--json'], env()),
    ]);

    expect(piped.code, piped.stderr).toBe(0);
    const fromStdin = parseRun(piped.stdout);
    expect(fromStdin.outcomes.map((o) => [o.line, o.status]).sort()).toEqual([
      [1, 'detached'],
      [3, 'detached'],
    ]);
    expect(fromStdin.summary).toMatchObject({ total: 2, detached: 2 });

    // Without --json: one readable summary line.
    expect([plain.code, plain.stdout]).toEqual([
      0,
      expect.stringMatching(/^total: 1 {2}detached: 1 {2}durationMs: \d+\n$/),
    ]);

    expect([concurrency.code, concurrency.stderr]).toEqual([
      2,
      expect.stringMatching(/--concurrency: must be a positive integer/),
    ]);
    expect([max.code, max.stderr]).toEqual([2, expect.stringMatching(/--max: must be a positive integer/)]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/nope\.jsonl/)]);

    expect(heldRun.code, heldRun.stderr).toBe(1);
    const { byLine, summary } = parseRun(heldRun.stdout);
    expect(byLine.get(1)).toMatchObject({
      status: 'retry-later',
      operation: 'tencent/detach-policy',
      hint: expect.stringMatching(/^claimed elsewhere until/),
    });
    expect(byLine.get(2)).toMatchObject({ status: 'detached' });
    expect(summary).toMatchObject({ total: 2, 'retry-later': 1, detached: 1 });
    // Nothing was sent for the held line, and the refused flags called nothing at all.
    expect(sandbox.current.calls.list({ cloud: 'tencent' })).toEqual([]);
    expect(totals()).toMatchObject({ mutating: 4, applied: 4 });
  }, 60_000);
});
