import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../../sandbox/seeds';
import { deadLetterSchema } from '../../../shared/engine/dead-letters';
import { SqliteStore } from '../../../shared/state/sqlite';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';
import { bindTencent, jsonLines, tencentLine, type Workspace, workspace } from './bulk-fixture';

const sandbox = useSandbox(() => loadSeed('demo'));
let space: Workspace;
const env = () => ({ ...sandboxEnvironment(sandbox.current.url), REMEDIATE_STATE: space.state });

// The demo organization: policy 100002 is the only SCP of member 100000000003, policy 1 the only
// SCP of member 100000000002. Detaching either is refused: the member would be left with none.
const LAB_MEMBER = 100000000003;
const PROD_MEMBER = 100000000002;

beforeAll(() => {
  space = workspace();
});
afterAll(() => space.remove());

const list = async () => {
  const run = await runCli(['dlq', 'list', '--json'], env());
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as unknown[]).map((l) => deadLetterSchema().parse(l));
};
/** The records in the state file, read directly (as another process on the machine would). */
const stored = async () => {
  const store = new SqliteStore(space.statePath);
  try {
    return (await store.listDeadLetters(100)).map((l) => deadLetterSchema().parse(l.record));
  } finally {
    await store.close();
  }
};
const detachCalls = () => sandbox.current.calls.list({ cloud: 'tencent', action: 'DetachPolicy' });

describe('remediate dlq', () => {
  // One story, in order: the state file carries the dead letters from `run` to `dlq`. About 15 CLI
  // processes at about a second each: the time-out is generous for a loaded machine.
  it('lists, shows and redrives what run dead-lettered, acting once the world is fixed', async () => {
    const file = space.jsonl('last.jsonl', [
      tencentLine(100002, LAB_MEMBER, 'MEMBER'),
      tencentLine(1, PROD_MEMBER, 'MEMBER'),
    ]);
    const run = await runCli(['run', file, '--json'], env());
    // Dead-lettered lines are not done: run exits 1. Its first line names the run, for --resume below.
    expect(run.code, run.stderr).toBe(1);
    const runId = String((jsonLines(run.stdout)[0]?.run as { id?: string } | undefined)?.id);
    const ran = jsonLines(run.stdout).slice(1, -1);
    const labId = ran.find((o) => o.line === 1)?.deadLetterId as string;
    const prodId = ran.find((o) => o.line === 2)?.deadLetterId as string;
    expect([labId, prodId]).toEqual([expect.any(String), expect.any(String)]);

    const [letters, text, shown, nope, neither, both, dry] = await Promise.all([
      list(),
      runCli(['dlq', 'list'], env()),
      runCli(['dlq', 'show', labId, '--json'], env()),
      runCli(['dlq', 'show', 'nope'], env()),
      runCli(['dlq', 'redrive'], env()),
      runCli(['dlq', 'redrive', labId, '--all'], env()),
      runCli(['dlq', 'redrive', '--all', '--json'], { ...env(), REMEDIATE_DRY_RUN: 'true' }),
    ]);
    expect(letters.map((l) => l.id).sort()).toEqual([labId, prodId].sort());
    for (const letter of letters)
      expect(letter).toMatchObject({
        reason: 'last-policy',
        source: 'cli',
        redrives: 0,
        attempts: 1,
        error: { code: 'FailedOperation.OrganizationDetachLastPolicyError' },
      });
    const lab = letters.find((l) => l.id === labId);
    expect(lab?.request).toEqual({
      ...tencentLine(100002, LAB_MEMBER, 'MEMBER'),
      type: 'SERVICE_CONTROL_POLICY',
    });
    expect(text.stdout).toMatch(new RegExp(`${labId} .* last-policy\\s+tencent/detach-policy`));
    expect([shown.code, JSON.parse(shown.stdout)]).toEqual([0, lab]);
    expect([nope.code, nope.stderr]).toEqual([2, expect.stringMatching(/no dead letter nope/)]);
    expect([neither.code, neither.stderr]).toEqual([
      2,
      expect.stringMatching(/give one dead letter id or --all/),
    ]);
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/give one dead letter id or --all/)]);

    // A dry-run redrive says what it would do and leaves the records as they were.
    expect(dry.code, dry.stderr).toBe(0);
    expect(jsonLines(dry.stdout).map((o) => [o.status, o.hint])).toEqual([
      ['skipped', 'dry-run: would detach the policy'],
      ['skipped', 'dry-run: would detach the policy'],
    ]);
    expect(await stored()).toEqual(letters);

    // Nothing fixed yet: both fail again, keep their ids and count the redrive; exit 1.
    const calls = detachCalls().length;
    const unfixed = await runCli(['dlq', 'redrive', '--all', '--json'], env());
    expect(unfixed.code, unfixed.stderr).toBe(1);
    expect(
      jsonLines(unfixed.stdout)
        .map((o) => [o.status, o.reason, o.deadLetterId])
        .sort(),
    ).toEqual([labId, prodId].map((id) => ['dead-lettered', 'last-policy', id]).sort());
    expect(detachCalls()).toHaveLength(calls + 2);
    expect((await stored()).map((l) => [l.id, l.redrives, l.attempts]).sort()).toEqual(
      [labId, prodId].map((id) => [id, 1, 2]).sort(),
    );

    // Someone gives the lab member a second policy: the redrive of that one record detaches.
    bindTencent(sandbox.current, 1, LAB_MEMBER, 'MEMBER');
    const one = await runCli(['dlq', 'redrive', labId, '--json'], env());
    expect(one.code, one.stderr).toBe(0);
    expect(jsonLines(one.stdout)).toEqual([expect.objectContaining({ status: 'detached' })]);
    expect((await stored()).map((l) => l.id)).toEqual([prodId]);

    bindTencent(sandbox.current, 100001, PROD_MEMBER, 'MEMBER');
    const rest = await runCli(['dlq', 'redrive', '--all', '--json'], env());
    expect(rest.code, rest.stderr).toBe(0);
    expect(jsonLines(rest.stdout)).toEqual([expect.objectContaining({ status: 'detached' })]);
    expect(detachCalls().filter((c) => c.applied)).toHaveLength(2);

    // The list is empty, a redrive of a gone id says so, and resuming the original run finds the
    // redrives' outcomes under the same keys: duplicates, no call.
    const before = detachCalls().length;
    const [empty, emptyText, gone, rerun] = await Promise.all([
      list(),
      runCli(['dlq', 'list'], env()),
      runCli(['dlq', 'redrive', labId, '--json'], env()),
      runCli(['run', file, '--resume', runId, '--json'], env()),
    ]);
    expect(empty).toEqual([]);
    expect(emptyText.stdout).toBe('no dead letters\n');
    expect([gone.code, jsonLines(gone.stdout)]).toEqual([1, [{ id: labId, skipped: 'not-found' }]]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(
      jsonLines(rerun.stdout)
        .slice(1, -1)
        .map((o) => [o.status, o.duplicate]),
    ).toEqual([
      ['detached', true],
      ['detached', true],
    ]);
    expect(detachCalls()).toHaveLength(before);
    expect(
      sandbox.current.world.tencent.organizations[0]?.bindings
        .filter((b) => b.targetId === LAB_MEMBER || b.targetId === PROD_MEMBER)
        .map((b) => [b.targetId, b.policyId])
        .sort(),
    ).toEqual(
      [
        [LAB_MEMBER, 1],
        [PROD_MEMBER, 100001],
      ].sort(),
    );
  }, 180_000);
});
