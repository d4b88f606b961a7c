import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../sandbox/faults';
import { detachPolicy } from '../../../shared/providers/alibaba/detach-policy';
import { FAST_RETRIES } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';
import {
  accountState,
  alibabaProvidersWorld,
  callsOf,
  contextFor,
  detachPolicyRequest,
  faultFirst,
  isAttached,
  KEYS,
  run,
  steadyClock,
  user,
} from './alibaba-fixtures';

const sandbox = useSandbox(alibabaProvidersWorld);
const sb = () => sandbox.current;
const mallory = detachPolicyRequest();

beforeEach(() => sb().reset());
afterEach(() => {
  sb().removeAllListeners('call');
});

describe('alibaba detach-policy: success and already gone', () => {
  it('detaches the attachment with exactly one applied call', async () => {
    const outcome = await run(sb(), mallory);
    expect(outcome).toMatchObject({ status: 'detached', attempts: 1 });
    expect(outcome.error).toBeUndefined();
    expect(isAttached(sb(), mallory)).toBe(false);
    // The same user keeps its other policy; the other principals keep theirs.
    expect(isAttached(sb(), { ...mallory, policyName: 'ReadOnlyAccess' })).toBe(true);
    expect(isAttached(sb(), { ...mallory, principalName: user('trent') })).toBe(true);
    expect(sb().calls.totals()).toMatchObject({ mutating: 1, applied: 1 });
  });

  it('detaches at account scope (ResourceGroupId = account id)', async () => {
    const request = detachPolicyRequest({
      resourceGroupId: '1000000000000001',
      principalName: user('root-ish'),
    });
    expect(await run(sb(), request)).toMatchObject({ status: 'detached' });
    expect(isAttached(sb(), request)).toBe(false);
  });

  it.each([
    ['IMSUser', user('nobody'), 'EntityNotExist.User.Policy'],
    ['IMSGroup', 'nobody', 'EntityNotExist.Group.Policy'],
    ['ServiceRole', 'nobody', 'EntityNotExist.Role.Policy'],
  ] as const)('%s not attached: %s → already-compliant (%s)', async (principalType, principalName, code) => {
    const before = structuredClone(accountState(sb()).attachments);
    const outcome = await run(sb(), detachPolicyRequest({ principalType, principalName }));
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 1,
      error: { provider: 'alibaba', code, httpStatus: 404 },
    });
    expect(outcome.error?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // The code says "not attached", not which of the two does not exist.
    expect(outcome.missing).toBeUndefined();
    expect(accountState(sb()).attachments).toEqual(before);
    expect(sb().calls.totals()).toMatchObject({ mutating: 1, applied: 0 });
  });

  it('EntityNotExist.Policy (the policy itself is gone) → already-compliant', async () => {
    const outcome = await run(
      sb(),
      detachPolicyRequest({ policyType: 'Custom', policyName: 'deleted-long-ago' }),
    );
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      error: { code: 'EntityNotExist.Policy' },
      missing: 'policy deleted-long-ago',
    });
    expect(sb().calls.totals()).toMatchObject({ applied: 0 });
  });

  it('EntityNotExists.ResourceGroup (the group is gone) → already-compliant', async () => {
    const outcome = await run(sb(), detachPolicyRequest({ resourceGroupId: 'rg-vanished' }));
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      error: { code: 'EntityNotExists.ResourceGroup' },
      missing: 'resource group rg-vanished',
    });
  });

  it('the second of two identical requests is already-compliant, with still one applied call', async () => {
    expect((await run(sb(), mallory)).status).toBe('detached');
    expect((await run(sb(), mallory)).status).toBe('already-compliant');
    expect(callsOf(sb(), 'DetachPolicy')).toEqual([
      { code: 'ok', applied: true },
      { code: 'EntityNotExist.User.Policy', applied: false },
    ]);
  });
});

describe('alibaba detach-policy: transient failures are retried', () => {
  it('Throttling.User from the rate limit (world `limits`) → waits, then detached', async () => {
    sb().replaceWorld({ ...sb().world, limits: { 'alibaba:DetachPolicy': 1 } });
    // Spend the one call per second on another detach.
    expect((await run(sb(), detachPolicyRequest({ principalName: user('trent') }))).status).toBe('detached');
    const outcome = await run(sb(), mallory, {
      clock: steadyClock,
      retryPolicies: { ...FAST_RETRIES, transient: { maxAttempts: 10, baseMs: 250, capMs: 250 } },
    });
    expect(outcome.status).toBe('detached');
    expect(outcome.attempts).toBeGreaterThanOrEqual(3);
    expect(isAttached(sb(), mallory)).toBe(false);
    const calls = callsOf(sb(), 'DetachPolicy').slice(1);
    expect(calls.slice(0, -1).every((c) => c.code === 'Throttling.User' && !c.applied)).toBe(true);
    expect(calls.at(-1)).toEqual({ code: 'ok', applied: true });
    expect(calls).toHaveLength(outcome.attempts);
  });

  it('Throttling.User past the retry budget → dead-lettered retry-budget-exhausted, nothing applied', async () => {
    sb().replaceWorld({ ...sb().world, limits: { 'alibaba:DetachPolicy': 1 } });
    await run(sb(), detachPolicyRequest({ principalName: user('trent') }));
    const outcome = await run(sb(), mallory);
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'retry-budget-exhausted',
      attempts: FAST_RETRIES.transient?.maxAttempts,
      error: { code: 'Throttling.User', httpStatus: 400 },
    });
    expect(outcome.hint).toContain('Throttling.User');
    expect(isAttached(sb(), mallory)).toBe(true);
    expect(sb().calls.totals().applied).toBe(1);
  });

  it('Throttling.User from the throttle fault → retried and detached', async () => {
    faultFirst(sb(), 'throttle=1,actions=DetachPolicy', 2);
    const outcome = await run(sb(), mallory);
    expect(outcome).toMatchObject({ status: 'detached', attempts: 3 });
    expect(callsOf(sb(), 'DetachPolicy')).toEqual([
      { code: 'Throttling.User', applied: false },
      { code: 'Throttling.User', applied: false },
      { code: 'ok', applied: true },
    ]);
  });

  it('ServiceUnavailable (503, the 5xx fault) → retried and detached', async () => {
    faultFirst(sb(), '5xx=1', 1);
    const outcome = await run(sb(), mallory);
    expect(outcome).toMatchObject({ status: 'detached', attempts: 2 });
    expect(callsOf(sb(), 'DetachPolicy')).toEqual([
      { code: 'ServiceUnavailable', applied: false },
      { code: 'ok', applied: true },
    ]);
    expect(isAttached(sb(), mallory)).toBe(false);
  });

  it('a seeded mix of 5xx stays within the budget and ends detached with one applied call', async () => {
    sb().faults.set(parseFaultSpec('5xx=0.5,seed=7'));
    const outcome = await run(sb(), mallory);
    // Seed 7 draws 5xx, 5xx, then no fault.
    expect(outcome).toMatchObject({ status: 'detached', attempts: 3 });
    expect(sb().calls.totals()).toMatchObject({ applied: 1, mutating: 3 });
  });

  it('InternalError (500, the cloud failing inside the call) → retried and detached', async () => {
    // The sandbox answers InternalError when its handler crashes: make the first DetachPolicy crash.
    const account = accountState(sb());
    const policies = account.policies;
    let crashes = 1;
    Object.defineProperty(account, 'policies', {
      configurable: true,
      get() {
        if (crashes-- > 0) throw new Error('sandbox crash for the test');
        return policies;
      },
    });
    const outcome = await run(sb(), mallory);
    expect(outcome).toMatchObject({ status: 'detached', attempts: 2 });
    expect(callsOf(sb(), 'DetachPolicy')).toEqual([
      { code: 'InternalError', applied: false },
      { code: 'ok', applied: true },
    ]);
  });

  it('ECONNRESET before the call is applied (drop) → retried and detached', async () => {
    faultFirst(sb(), 'drop=1');
    const outcome = await run(sb(), mallory);
    expect(outcome).toMatchObject({ status: 'detached', attempts: 2 });
    expect(callsOf(sb(), 'DetachPolicy')).toEqual([
      { code: 'fault:drop', applied: false },
      { code: 'ok', applied: true },
    ]);
    expect(isAttached(sb(), mallory)).toBe(false);
  });

  it('ECONNRESET after the call is applied (drop-after) → the retry finds it gone → already-compliant', async () => {
    faultFirst(sb(), 'drop-after=1');
    const outcome = await run(sb(), mallory);
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 2,
      error: { code: 'EntityNotExist.User.Policy' },
    });
    expect(isAttached(sb(), mallory)).toBe(false);
    expect(callsOf(sb(), 'DetachPolicy')).toEqual([
      { code: 'fault:drop-after', applied: true },
      { code: 'EntityNotExist.User.Policy', applied: false },
    ]);
    expect(sb().calls.totals().applied).toBe(1);
  });

  it('ECONNRESET on every call → dead-lettered retry-budget-exhausted with the network code', async () => {
    sb().faults.set(parseFaultSpec('drop=1'));
    const outcome = await run(sb(), mallory);
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'retry-budget-exhausted',
      error: { code: 'ECONNRESET' },
    });
    expect(isAttached(sb(), mallory)).toBe(true);
  });

  it('no answer (hang) past the client time-out → retried and detached', async () => {
    faultFirst(sb(), 'hang=1,hang-ms=5000');
    const started = Date.now();
    const outcome = await run(sb(), mallory, {
      contextFor: () => contextFor(sb(), undefined, 300),
    });
    expect(outcome).toMatchObject({ status: 'detached', attempts: 2 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(callsOf(sb(), 'DetachPolicy')).toEqual([
      { code: 'fault:hang', applied: false },
      { code: 'ok', applied: true },
    ]);
  });
});

describe('alibaba detach-policy: Invalid.ResourceGroup.Status (group being created or deleted)', () => {
  const newbie = detachPolicyRequest({ resourceGroupId: 'rg-new', principalName: user('newbie') });

  it('Creating: retried for the whole slow budget, then dead-lettered resource-group-status', async () => {
    const outcome = await run(sb(), newbie);
    const budget = FAST_RETRIES['resource-group-status']?.maxAttempts;
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'resource-group-status',
      attempts: budget,
      error: { code: 'Invalid.ResourceGroup.Status', httpStatus: 409 },
    });
    expect(outcome.hint).toMatch(/resource group is being created or deleted/);
    expect(callsOf(sb(), 'DetachPolicy')).toHaveLength(budget ?? 0);
    expect(sb().calls.totals().applied).toBe(0);
    expect(isAttached(sb(), newbie)).toBe(true);
  });

  it('Deleting: the same class', async () => {
    const leaver = detachPolicyRequest({ resourceGroupId: 'rg-old', principalName: user('leaver') });
    expect(await run(sb(), leaver)).toMatchObject({
      status: 'dead-lettered',
      reason: 'resource-group-status',
    });
  });

  it('the group becomes OK mid-retry → detached', async () => {
    const timer = setTimeout(() => {
      const group = accountState(sb()).resourceGroups.find((g) => g.id === 'rg-new');
      if (group) group.status = 'OK';
    }, 80);
    const outcome = await run(sb(), newbie, { clock: steadyClock }).finally(() => clearTimeout(timer));
    expect(outcome.status).toBe('detached');
    expect(outcome.attempts).toBeGreaterThan(1);
    expect(outcome.attempts).toBeLessThan(FAST_RETRIES['resource-group-status']?.maxAttempts ?? 0);
    const calls = callsOf(sb(), 'DetachPolicy');
    expect(calls.slice(0, -1).every((c) => c.code === 'Invalid.ResourceGroup.Status')).toBe(true);
    expect(calls.at(-1)).toEqual({ code: 'ok', applied: true });
    expect(isAttached(sb(), newbie)).toBe(false);
  });

  it('the busy fault answers the same code and is retried', async () => {
    faultFirst(sb(), 'busy=1', 2);
    expect(await run(sb(), mallory)).toMatchObject({ status: 'detached', attempts: 3 });
  });

  it('still in transition at the deadline on a platform → retry-later (the event is redelivered)', async () => {
    const outcome = await run(sb(), newbie, {
      onPlatform: true,
      deadline: Date.now() + 100,
      clock: steadyClock,
    });
    expect(outcome).toMatchObject({ status: 'retry-later', error: { code: 'Invalid.ResourceGroup.Status' } });
    expect(outcome.reason).toBeUndefined();
    expect(isAttached(sb(), newbie)).toBe(true);
  });
});

describe('alibaba detach-policy: permission and dry-run', () => {
  it('NoPermission (a key denied DetachPolicy) → dead-lettered permission; the hint names the permissions', async () => {
    const outcome = await run(sb(), mallory, {}, KEYS.readOnly);
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'permission',
      attempts: 1,
      error: { code: 'NoPermission', httpStatus: 403 },
    });
    expect(outcome.hint).toContain('NoPermission');
    for (const permission of detachPolicy.permissions) expect(outcome.hint).toContain(permission);
    expect(isAttached(sb(), mallory)).toBe(true);
    expect(sb().calls.totals()).toMatchObject({ mutating: 1, applied: 0 });
  });

  it('dry-run of an attached policy → skipped "would detach", zero mutating calls', async () => {
    const outcome = await run(sb(), { ...mallory, dryRun: true });
    expect(outcome).toMatchObject({
      status: 'skipped',
      attempts: 0,
      hint: 'dry-run: would detach the policy',
    });
    expect(sb().calls.totals().mutating).toBe(0);
    expect(sb().calls.totals().read).toBe(1);
    expect(isAttached(sb(), mallory)).toBe(true);
  });

  it('dry-run of what is not attached → skipped "already compliant", zero mutating calls', async () => {
    const outcome = await run(sb(), {
      ...detachPolicyRequest({ principalName: user('nobody') }),
      dryRun: true,
    });
    expect(outcome).toMatchObject({ status: 'skipped', hint: 'dry-run: already compliant, nothing to do' });
    expect(sb().calls.totals().mutating).toBe(0);
  });

  it('dry-run with a key denied DetachPolicy still reads, and mutates nothing', async () => {
    const outcome = await run(sb(), { ...mallory, dryRun: true }, {}, KEYS.readOnly);
    expect(outcome).toMatchObject({ status: 'skipped', hint: 'dry-run: would detach the policy' });
    expect(sb().calls.totals().mutating).toBe(0);
  });
});

describe('alibaba detach-policy: stillPresent', () => {
  const context = () => contextFor(sb());

  it('true for an attachment that exists, false once it is detached', async () => {
    expect(await detachPolicy.stillPresent(mallory, context())).toEqual({ state: 'present' });
    await run(sb(), mallory);
    expect(await detachPolicy.stillPresent(mallory, context())).toEqual({ state: 'absent' });
  });

  it('matches all five fields: another principal or policy type is not this attachment', async () => {
    const other = detachPolicyRequest({ principalName: user('nobody') });
    expect(await detachPolicy.stillPresent(other, context())).toEqual({ state: 'absent' });
    const custom = detachPolicyRequest({ policyType: 'Custom' });
    expect(await detachPolicy.stillPresent(custom, context())).toEqual({ state: 'absent' });
  });

  it('true in a group being created (reads are allowed there)', async () => {
    const newbie = detachPolicyRequest({ resourceGroupId: 'rg-new', principalName: user('newbie') });
    expect(await detachPolicy.stillPresent(newbie, context())).toEqual({ state: 'present' });
  });

  it('false when the resource group is gone', async () => {
    const gone = detachPolicyRequest({ resourceGroupId: 'rg-vanished' });
    expect(await detachPolicy.stillPresent(gone, context())).toEqual({ state: 'absent' });
  });

  it('not ok (with the classified error) when the read itself is refused', async () => {
    const read = await detachPolicy.stillPresent(
      mallory,
      contextFor(sb(), { ...KEYS.readOnly, accessKeySecret: 'x' }),
    );
    expect(read).toMatchObject({
      state: 'unknown',
      error: { code: 'SignatureDoesNotMatch', errorClass: 'permission' },
    });
  });

  it('makes no mutating call', async () => {
    await detachPolicy.stillPresent(mallory, context());
    expect(sb().calls.totals()).toMatchObject({ mutating: 0, read: 1 });
  });
});
