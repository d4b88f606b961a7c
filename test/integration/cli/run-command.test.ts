import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSeed } from '../../../sandbox/seeds';
import { idempotencyKey } from '../../../shared/engine/idempotency';
import { parseRequest } from '../../../shared/requests';
import { SqliteStore } from '../../../shared/state/sqlite';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';
import {
  alibabaLine,
  huaweiLine,
  jsonLines,
  parseRun,
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

const MALLORY = alibabaLine('mallory@corp.onaliyun.com');
const HUAWEI = huaweiLine('a5c0e3f1-full-access', '5b3e0c1f-ci-deployer');

// Each CLI process costs about a second: the time-outs are generous for a loaded machine.
describe('remediate run', () => {
  it('refuses a file with invalid lines whole, naming each line, field and rule, before any call', async () => {
    const file = space.jsonl('bulk.jsonl', [
      MALLORY,
      '',
      '{"provider": "alibaba", not json',
      alibabaLine('eve@corp.onaliyun.com', { policyName: 'Admin Access' }),
      tencentLine(100002, 100000000003, 'MEMBER'),
    ]);
    const refused = await runCli(['run', file], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file} has 2 invalid lines; nothing was done`);
    expect(refused.stderr).toMatch(/^ {2}line 3: \(line\): is not valid JSON/m);
    expect(refused.stderr).toMatch(/^ {2}line 4: policyName: may contain only letters, digits and hyphens/m);
    expect(refused.stdout).toBe('');
    expect(totals().total).toBe(0);

    // --skip-invalid: the valid lines run, the invalid ones are reported as such (not carried out).
    const run = await runCli(['run', file, '--skip-invalid', '--json'], env());
    expect(run.code, run.stderr).toBe(1);
    const { byLine, summary } = parseRun(run.stdout);
    expect(byLine.get(1)).toMatchObject({ status: 'detached' });
    expect(byLine.get(3)).toMatchObject({
      status: 'invalid',
      error: expect.stringMatching(/^\(line\): is not valid JSON/),
    });
    expect(byLine.get(4)).toMatchObject({ status: 'invalid', error: expect.stringMatching(/^policyName: /) });
    expect(byLine.get(5)).toMatchObject({ status: 'dead-lettered', reason: 'last-policy' });
    expect(summary).toMatchObject({ total: 4, detached: 1, invalid: 2, 'dead-lettered': 1, notDone: 3 });
    expect(totals()).toMatchObject({ mutating: 2, applied: 1 });
  }, 60_000);

  it('refuses a JSON array with a clear error, and names an unreadable file', async () => {
    const array = space.jsonl('array.json', [JSON.stringify([MALLORY, HUAWEI], null, 2)]);
    const [run, missing] = await Promise.all([
      runCli(['run', array], env()),
      runCli(['run', join(space.dir, 'nope.jsonl')], env()),
    ]);
    expect([run.code, run.stderr]).toEqual([
      2,
      expect.stringMatching(
        /array\.json: is a JSON array; run reads JSON lines, one request object per line \(convert it with: jq -c '\.\[\]'/,
      ),
    ]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/nope\.jsonl: ENOENT/)]);
    expect(totals().total).toBe(0);
  }, 60_000);

  it('exits 1 and names every line not done, with its target, reason and hint (wrong secret: all five)', async () => {
    const file = space.jsonl('five.jsonl', [
      MALLORY,
      alibabaLine('breakglass@corp.onaliyun.com'),
      alibabaLine('alice@corp.onaliyun.com'),
      alibabaLine('ci-deployer', {
        resourceGroupId: 'rg-aek2dev9mz4wa',
        policyName: 'AliyunOSSFullAccess',
        principalType: 'ServiceRole',
      }),
      alibabaLine('developers', {
        resourceGroupId: 'rg-aek2dev9mz4wa',
        policyName: 'AliyunECSReadOnlyAccess',
        principalType: 'IMSGroup',
      }),
    ]);
    const run = await runCli(['run', file], { ...env(), ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^total: 5 {2}dead-lettered: 5 {2}durationMs: \d+$/m);
    expect(run.stdout).toMatch(/^5 lines not done:$/m);
    for (let line = 1; line <= 5; line++)
      expect(run.stdout).toMatch(
        new RegExp(
          `^ {2}line ${line}: dead-lettered \\((permission|unknown-error)\\) {2}alibaba/detach-policy {2}rg-`,
          'm',
        ),
      );
    expect(run.stdout).toMatch(/^ {4}\S.+/m);
    expect(run.stdout).not.toContain('wrong-secret');
    expect(run.stderr).not.toContain('wrong-secret');
    expect(totals().applied).toBe(0);
  }, 60_000);

  it('a plain line is a new order on each run; --resume continues a run and says what it replayed', async () => {
    const file = space.jsonl('plain.jsonl', [MALLORY, HUAWEI]);
    const first = await runCli(['run', file], env());
    expect(first.code, first.stderr).toBe(0);
    const runId = /run id (\S+);/.exec(first.stderr)?.[1];
    expect(runId).toBeDefined();
    expect(first.stdout).toMatch(/^1 +detached +alibaba\/detach-policy +rg-aek2prod7xk3q IMSUser:mallory/m);
    expect(totals()).toMatchObject({ mutating: 2, applied: 2 });

    // Resumed: finished lines are replayed from the store, without a call, and it says so.
    const resumed = await runCli(['run', file, '--resume', runId as string], env());
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`run id ${runId} (resumed)`);
    expect(resumed.stdout).toMatch(
      /^1 +detached +alibaba\/detach-policy .* replayed from \d{4}-\d\d-\d\dT[\d:.]+Z, no call$/m,
    );
    expect(resumed.stdout).toMatch(/ replayed: 2 /);
    const json = parseRun((await runCli(['run', file, '--resume', runId as string, '--json'], env())).stdout);
    expect(json.byLine.get(2)).toMatchObject({
      status: 'detached',
      duplicate: true,
      settledAt: expect.any(String),
      replayed: expect.stringMatching(/^replayed from .+, no call$/),
    });
    expect(json.header).toMatchObject({ run: { id: runId, resumed: true, lines: 2 } });
    expect(totals()).toMatchObject({ mutating: 2, applied: 2 });

    // Someone attaches the policies again: a new run of the same file acts again, and never claims a
    // detach it did not make.
    sandbox.current.reset();
    const again = await runCli(['run', file, '--json'], env());
    expect(again.code, again.stderr).toBe(0);
    const rerun = parseRun(again.stdout);
    expect(rerun.header).toMatchObject({ run: { resumed: false } });
    expect(rerun.header.run.id).not.toBe(runId);
    for (const line of [1, 2])
      expect(rerun.byLine.get(line)).toMatchObject({ status: 'detached', attempts: 1 });
    expect(rerun.byLine.get(1)?.duplicate).toBeUndefined();
    expect(totals()).toMatchObject({ mutating: 2, applied: 2 });
  }, 60_000);

  it('a scan file run twice acts once; a new scan after a re-attach acts again', async () => {
    const rules = space.jsonl('rules.json', [
      {
        version: 1,
        rules: [
          {
            id: 'no-admin',
            provider: 'alibaba',
            operation: 'detach-policy',
            when: { policyName: 'AdministratorAccess' },
          },
        ],
      },
    ]);
    const scanFile = join(space.dir, 'scan.jsonl');
    const scan = () =>
      runCli(['scan', '--rules', rules, '--provider', 'alibaba', '--output', scanFile], env());
    expect((await scan()).code).toBe(0);
    const firstScan = readFileSync(scanFile, 'utf8');
    const ids = new Set(jsonLines(firstScan).map((l) => l.eventId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^scan:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ:[0-9a-f]{8}$/);

    const first = parseRun((await runCli(['run', scanFile, '--json'], env())).stdout);
    expect(first.outcomes.map((o) => o.status)).toEqual(['detached', 'detached']);
    const calls = totals().mutating;
    const second = await runCli(['run', scanFile, '--json'], env());
    const replay = parseRun(second.stdout);
    expect(replay.outcomes.map((o) => [o.status, o.duplicate])).toEqual([
      ['detached', true],
      ['detached', true],
    ]);
    expect(totals().mutating).toBe(calls);

    sandbox.current.reset();
    expect((await scan()).code).toBe(0);
    expect(readFileSync(scanFile, 'utf8')).not.toBe(firstScan);
    const third = parseRun((await runCli(['run', scanFile, '--json'], env())).stdout);
    expect(third.outcomes.map((o) => [o.status, o.duplicate])).toEqual([
      ['detached', undefined],
      ['detached', undefined],
    ]);
    expect(totals().mutating).toBe(2);
  }, 90_000);

  it('--max 2: two of four mutating lines for one account act, the other two are named', async () => {
    const file = space.jsonl('max.jsonl', [
      MALLORY,
      alibabaLine('breakglass@corp.onaliyun.com'),
      alibabaLine('ci-deployer', {
        resourceGroupId: 'rg-aek2dev9mz4wa',
        policyName: 'AliyunOSSFullAccess',
        principalType: 'ServiceRole',
      }),
      alibabaLine('developers', {
        resourceGroupId: 'rg-aek2dev9mz4wa',
        policyName: 'AliyunECSReadOnlyAccess',
        principalType: 'IMSGroup',
      }),
    ]);
    const run = await runCli(['run', file, '--max', '2', '--concurrency', '1'], env());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^2 lines not done:$/m);
    expect(run.stdout).toMatch(/^ {2}line 3: dead-lettered \(circuit-open\)/m);
    expect(run.stdout).toMatch(/^ {2}line 4: dead-lettered \(circuit-open\)/m);
    expect(totals()).toMatchObject({ mutating: 2, applied: 2 });
  }, 60_000);

  it('reads stdin with -, refuses bad flags with exit 2, exits 1 while a line must be retried', async () => {
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

    const stdin = [MALLORY, '', alibabaLine('breakglass@corp.onaliyun.com')]
      .map((l) => (typeof l === 'string' ? l : JSON.stringify(l)))
      .join('\n');
    const [piped, concurrency, max, output, report, resume, heldRun] = await Promise.all([
      runCliWithInput(['run', '-', '--json'], env(), stdin),
      runCli(['run', heldFile, '--concurrency', '0'], env()),
      runCli(['run', heldFile, '--max', 'many'], env()),
      runCli(['run', heldFile, '--output', 'xml'], env()),
      runCli(['run', heldFile, '--report', join(space.dir, 'report.txt')], env()),
      runCli(['run', heldFile, '--resume', '../etc'], env()),
      runCli(['run', heldFile], env()),
    ]);

    expect(piped.code, piped.stderr).toBe(0);
    const fromStdin = parseRun(piped.stdout);
    expect(fromStdin.outcomes.map((o) => [o.line, o.status]).sort()).toEqual([
      [1, 'detached'],
      [3, 'detached'],
    ]);
    expect(fromStdin.summary).toMatchObject({ total: 2, detached: 2, notDone: 0 });

    expect([concurrency.code, concurrency.stderr]).toEqual([
      2,
      expect.stringMatching(/--concurrency: must be a positive integer/),
    ]);
    expect([max.code, max.stderr]).toEqual([2, expect.stringMatching(/--max: must be a positive integer/)]);
    expect([output.code, output.stderr]).toEqual([
      2,
      expect.stringMatching(/--output: must be one of table, json, csv/),
    ]);
    expect([report.code, report.stderr]).toEqual([
      2,
      expect.stringMatching(/--report .*report\.txt: must end in \.json, \.csv or \.md/),
    ]);
    expect([resume.code, resume.stderr]).toEqual([2, expect.stringMatching(/--resume: must be the run id/)]);

    expect(heldRun.code, heldRun.stderr).toBe(1);
    expect(heldRun.stdout).toMatch(/^1 line not done:$/m);
    expect(heldRun.stdout).toMatch(
      /^ {2}line 1: retry-later {2}tencent\/detach-policy {2}NODE:1001 SERVICE_CONTROL_POLICY:100001$/m,
    );
    expect(heldRun.stdout).toMatch(/^ {4}claimed elsewhere until /m);
    // Nothing was sent for the held line, and the refused flags called nothing at all.
    expect(sandbox.current.calls.list({ cloud: 'tencent' })).toEqual([]);
    expect(totals()).toMatchObject({ mutating: 3, applied: 3 });
  }, 60_000);

  it('an error of the run itself (credentials not set) stops it once, naming the lines not started', async () => {
    const file = space.jsonl('no-credentials.jsonl', [
      tencentLine(100002, 1002, 'NODE'),
      tencentLine(200001, 1001, 'NODE'),
      tencentLine(100001, 1001, 'NODE'),
    ]);
    const all: NodeJS.ProcessEnv = env();
    const { TENCENTCLOUD_SECRETID: _, ...noTencent } = all;
    const run = await runCli(['run', file, '--concurrency', '1'], noTencent);
    expect(run.code).toBe(2);
    expect(run.stderr.match(/TENCENTCLOUD_SECRETID/g)).toHaveLength(1);
    expect(run.stderr).toMatch(/^remediate run: stopped at line 1: .*TENCENTCLOUD_SECRETID/m);
    expect(run.stdout).toMatch(/^3 lines not done:$/m);
    expect(run.stdout).toMatch(/^ {2}line 1: failed$/m);
    expect(run.stdout).toMatch(/^ {2}line 3: not started$/m);
    expect(totals().total).toBe(0);
  }, 60_000);

  it('--report writes the outcomes as JSON, CSV or Markdown; --output csv prints one row a line', async () => {
    const file = space.jsonl('report.jsonl', [MALLORY, tencentLine(100002, 100000000003, 'MEMBER')]);
    const json = join(space.dir, 'out.json');
    const run = await runCli(['run', file, '--report', json, '--output', 'csv'], env());
    expect(run.code).toBe(1);
    const rows = run.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'line,status,reason,operation,target,attempts,durationMs,missing,replayed,code,hint,deadLetterId',
    );
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 3))).toEqual([
      ['1', 'detached', ''],
      ['2', 'dead-lettered', 'last-policy'],
    ]);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report).toMatchObject({
      file,
      summary: { total: 2, detached: 1, 'dead-lettered': 1, notDone: 1 },
      lines: [
        { line: 1, status: 'detached', operation: 'alibaba/detach-policy' },
        {
          line: 2,
          status: 'dead-lettered',
          reason: 'last-policy',
          code: 'FailedOperation.OrganizationDetachLastPolicyError',
        },
      ],
    });

    const [csvRun, mdRun] = await Promise.all(
      ['out.csv', 'out.md'].map((name) => runCli(['run', file, '--report', join(space.dir, name)], env())),
    );
    expect(csvRun?.code).toBe(1);
    const csvText = readFileSync(join(space.dir, 'out.csv'), 'utf8');
    expect(csvText.split('\r\n')[0]).toBe(rows[0]);
    expect(csvText).toMatch(/\r\n2,dead-lettered,last-policy,tencent\/detach-policy,/);
    expect(mdRun?.code).toBe(1);
    const md = readFileSync(join(space.dir, 'out.md'), 'utf8');
    expect(md).toMatch(/^# remediate run [0-9a-f-]{36}$/m);
    expect(md).toMatch(/^## Not done$/m);
    expect(md).toMatch(/^ {2}line 2: dead-lettered \(last-policy\)/m);
    // The second and third runs are new orders: the first line finds the policy gone.
    expect(md).toMatch(/^\| 1 \| already-compliant \| {2}\| alibaba\/detach-policy \|/m);
  }, 60_000);
});
