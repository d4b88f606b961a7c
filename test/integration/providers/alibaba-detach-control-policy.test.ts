import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../sandbox/faults';
import { detachControlPolicy } from '../../../shared/providers/alibaba/detach-control-policy';
import { FAST_RETRIES } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';
import {
  afterCall,
  alibabaProvidersWorld,
  callsOf,
  contextFor,
  detachControlPolicyRequest,
  directoryState,
  faultFirst,
  KEYS,
  MEMBER_ID,
  policiesOn,
  run,
  steadyClock,
} from './alibaba-fixtures';

const sandbox = useSandbox(alibabaProvidersWorld);
const sb = () => sandbox.current;
const denyRegions = detachControlPolicyRequest();
/** fd-lab holds one policy only: detaching it is refused with NotSupport.DetachLastControlPolicy. */
const lastOnLab = detachControlPolicyRequest({ policyId: 'cp-allowall', targetId: 'fd-lab' });
const replaceWith = (policyId: string) => ({ lastPolicy: { alibaba: { replaceWith: policyId } } });

beforeEach(() => sb().reset());
afterEach(() => {
  sb().removeAllListeners('call');
});

describe('alibaba detach-control-policy: success and already gone', () => {
  it('detaches one of two policies from a folder, one applied call', async () => {
    expect(await run(sb(), denyRegions)).toMatchObject({ status: 'detached', attempts: 1 });
    expect(policiesOn(sb(), 'fd-prod')).toEqual(['cp-FullAliyunAccess']);
    expect(policiesOn(sb(), MEMBER_ID)).toEqual(['cp-FullAliyunAccess', 'cp-denyregions']);
    expect(sb().calls.totals()).toMatchObject({ mutating: 1, applied: 1 });
  });

  it('detaches from a member account', async () => {
    const request = detachControlPolicyRequest({ targetId: MEMBER_ID });
    expect(await run(sb(), request)).toMatchObject({ status: 'detached' });
    expect(policiesOn(sb(), MEMBER_ID)).toEqual(['cp-FullAliyunAccess']);
  });

  it.each([
    ['the target is gone', { targetId: 'fd-gone' }, 'EntityNotExists.Target', 'target fd-gone'],
    [
      'the policy is gone',
      { policyId: 'cp-nope' },
      'EntityNotExists.ControlPolicy',
      'control policy cp-nope',
    ],
    [
      'the policy is not attached there',
      { policyId: 'cp-allowall' },
      'EntityNotExists.ControlPolicyAttachment',
      undefined,
    ],
  ])('%s → already-compliant (%s)', async (_, fields, code, missing) => {
    const before = structuredClone(directoryState(sb()).controlPolicyAttachments);
    const outcome = await run(sb(), detachControlPolicyRequest(fields));
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 1,
      error: { code, httpStatus: 404 },
    });
    expect(outcome.missing).toBe(missing);
    expect(directoryState(sb()).controlPolicyAttachments).toEqual(before);
    expect(sb().calls.totals()).toMatchObject({ mutating: 1, applied: 0 });
  });
});

describe('alibaba detach-control-policy: NotSupport.DetachLastControlPolicy', () => {
  it('without a strategy → dead-lettered last-policy, the target keeps its policy', async () => {
    const outcome = await run(sb(), lastOnLab);
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'last-policy',
      attempts: 1,
      error: { code: 'NotSupport.DetachLastControlPolicy', httpStatus: 400 },
    });
    expect(outcome.hint).toMatch(/lastPolicy\.replaceWith/);
    expect(policiesOn(sb(), 'fd-lab')).toEqual(['cp-allowall']);
    expect(sb().calls.totals()).toMatchObject({ mutating: 1, applied: 0 });
  });

  it('with the explicit dead-letter strategy, on the Root folder → last-policy', async () => {
    const root = detachControlPolicyRequest({ policyId: 'cp-FullAliyunAccess', targetId: 'r-root' });
    const outcome = await run(sb(), root, { lastPolicy: { alibaba: 'dead-letter' } });
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'last-policy' });
    expect(policiesOn(sb(), 'r-root')).toEqual(['cp-FullAliyunAccess']);
    expect(callsOf(sb(), 'AttachControlPolicy')).toEqual([]);
  });

  it('replace-with: the fallback is attached, then the policy detached → detached with replacedWith', async () => {
    const outcome = await run(sb(), lastOnLab, replaceWith('cp-baseline'));
    expect(outcome).toMatchObject({ status: 'detached', replacedWith: 'cp-baseline', attempts: 1 });
    expect(outcome.error).toBeUndefined();
    expect(policiesOn(sb(), 'fd-lab')).toEqual(['cp-baseline']);
    expect(callsOf(sb(), 'AttachControlPolicy')).toEqual([{ code: 'ok', applied: true }]);
    expect(callsOf(sb(), 'DetachControlPolicy')).toEqual([
      { code: 'NotSupport.DetachLastControlPolicy', applied: false },
      { code: 'ok', applied: true },
    ]);
    // The attach names the fallback and the same target.
    expect(sb().calls.list({ action: 'AttachControlPolicy' })[0]?.params).toMatchObject({
      PolicyId: 'cp-baseline',
      TargetId: 'fd-lab',
    });
  });

  it('replace-with is not used when the policy is not the last one', async () => {
    const outcome = await run(sb(), denyRegions, replaceWith('cp-baseline'));
    expect(outcome).toMatchObject({ status: 'detached' });
    expect(outcome.replacedWith).toBeUndefined();
    expect(callsOf(sb(), 'AttachControlPolicy')).toEqual([]);
    expect(policiesOn(sb(), 'fd-prod')).toEqual(['cp-FullAliyunAccess']);
  });

  it('rollback: the detach after the fallback attach fails permanently → the fallback is detached again', async () => {
    // The key loses DetachControlPolicy right after the fallback is attached, and gets it back right
    // after that detach is refused: only the one detach between attach and rollback is denied.
    const keysBefore = sb().world.keys;
    afterCall(sb(), { action: 'AttachControlPolicy', applied: true }, () => {
      sb().replaceWorld({
        ...sb().world,
        keys: [
          ...keysBefore,
          {
            cloud: 'alibaba',
            accessKeyId: 'sandbox',
            secret: 'sandbox-secret',
            deny: ['DetachControlPolicy'],
          },
        ],
      });
      afterCall(sb(), { action: 'DetachControlPolicy', code: 'NoPermission' }, () =>
        sb().replaceWorld({ ...sb().world, keys: keysBefore }),
      );
    });
    const outcome = await run(sb(), lastOnLab, replaceWith('cp-baseline'));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'permission',
      error: { code: 'NoPermission' },
    });
    expect(outcome.replacedWith).toBeUndefined();
    expect(policiesOn(sb(), 'fd-lab')).toEqual(['cp-allowall']);
    expect(callsOf(sb(), 'AttachControlPolicy')).toEqual([{ code: 'ok', applied: true }]);
    expect(callsOf(sb(), 'DetachControlPolicy')).toEqual([
      { code: 'NotSupport.DetachLastControlPolicy', applied: false },
      { code: 'NoPermission', applied: false },
      { code: 'ok', applied: true },
    ]);
    expect(sb().calls.list({ action: 'DetachControlPolicy' })[2]?.params).toMatchObject({
      PolicyId: 'cp-baseline',
      TargetId: 'fd-lab',
    });
  });

  it('rollback on a transient failure, then the retry replaces and detaches', async () => {
    afterCall(sb(), { action: 'AttachControlPolicy', applied: true }, () =>
      faultFirst(sb(), '5xx=1,actions=DetachControlPolicy'),
    );
    const outcome = await run(sb(), lastOnLab, replaceWith('cp-baseline'));
    expect(outcome).toMatchObject({ status: 'detached', replacedWith: 'cp-baseline', attempts: 2 });
    expect(policiesOn(sb(), 'fd-lab')).toEqual(['cp-baseline']);
    expect(callsOf(sb(), 'DetachControlPolicy')).toEqual([
      { code: 'NotSupport.DetachLastControlPolicy', applied: false },
      { code: 'ServiceUnavailable', applied: false },
      { code: 'ok', applied: true }, // the rollback
      { code: 'NotSupport.DetachLastControlPolicy', applied: false },
      { code: 'ok', applied: true },
    ]);
    expect(callsOf(sb(), 'AttachControlPolicy')).toHaveLength(2);
  });

  it('a key denied DetachControlPolicy is refused before any fallback is attached', async () => {
    const outcome = await run(sb(), lastOnLab, replaceWith('cp-baseline'), KEYS.readOnly);
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'permission' });
    expect(callsOf(sb(), 'AttachControlPolicy')).toEqual([]);
    expect(policiesOn(sb(), 'fd-lab')).toEqual(['cp-allowall']);
  });

  it('a key denied AttachControlPolicy → permission, the hint names AttachControlPolicy, nothing changed', async () => {
    const outcome = await run(sb(), lastOnLab, replaceWith('cp-baseline'), KEYS.noAttach);
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'permission',
      error: { code: 'NoPermission' },
    });
    expect(outcome.hint).toContain('resourcemanager:AttachControlPolicy');
    expect(policiesOn(sb(), 'fd-lab')).toEqual(['cp-allowall']);
    expect(sb().calls.totals().applied).toBe(0);
  });

  it('a fallback that does not exist is not mistaken for the policy being gone', async () => {
    const outcome = await run(sb(), lastOnLab, replaceWith('cp-missing'));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'last-policy',
      error: { code: 'EntityNotExists.ControlPolicy' },
    });
    expect(policiesOn(sb(), 'fd-lab')).toEqual(['cp-allowall']);
    expect(sb().calls.totals().applied).toBe(0);
  });

  it('the fallback attach applied but its answer lost (drop-after) → detached, the fallback reported', async () => {
    faultFirst(sb(), 'drop-after=1,actions=AttachControlPolicy');
    const outcome = await run(sb(), lastOnLab, replaceWith('cp-baseline'));
    expect(outcome).toMatchObject({ status: 'detached', replacedWith: 'cp-baseline' });
    expect(policiesOn(sb(), 'fd-lab')).toEqual(['cp-baseline']);
    expect(callsOf(sb(), 'AttachControlPolicy')).toEqual([{ code: 'fault:drop-after', applied: true }]);
    expect(callsOf(sb(), 'DetachControlPolicy')).toEqual([
      { code: 'NotSupport.DetachLastControlPolicy', applied: false },
      { code: 'ok', applied: true },
    ]);
  });

  it('the detach after the fallback applied but its answer lost → already-compliant, fallback kept and reported', async () => {
    afterCall(sb(), { action: 'AttachControlPolicy', applied: true }, () =>
      faultFirst(sb(), 'drop-after=1,actions=DetachControlPolicy'),
    );
    const outcome = await run(sb(), lastOnLab, replaceWith('cp-baseline'));
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      replacedWith: 'cp-baseline',
      error: { code: 'EntityNotExists.ControlPolicyAttachment' },
    });
    // The rollback was refused (the fallback had become the last policy), so the target stays covered.
    expect(policiesOn(sb(), 'fd-lab')).toEqual(['cp-baseline']);
    expect(callsOf(sb(), 'DetachControlPolicy')).toEqual([
      { code: 'NotSupport.DetachLastControlPolicy', applied: false },
      { code: 'fault:drop-after', applied: true },
      { code: 'NotSupport.DetachLastControlPolicy', applied: false },
      { code: 'EntityNotExists.ControlPolicyAttachment', applied: false },
    ]);
  });
});

describe('alibaba detach-control-policy: directory state and permissions', () => {
  it('InvalidControlPolicyEnablementStatus (feature disabled) → dead-lettered policy-type-disabled', async () => {
    directoryState(sb()).controlPolicyEnabled = false;
    const outcome = await run(sb(), denyRegions);
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'policy-type-disabled',
      attempts: 1,
      error: { code: 'InvalidControlPolicyEnablementStatus', httpStatus: 409 },
    });
    expect(outcome.hint).toMatch(/not enabled/);
    expect(policiesOn(sb(), 'fd-prod')).toEqual(['cp-FullAliyunAccess', 'cp-denyregions']);
  });

  it('EntityNotExists.ResourceDirectory (an account without a directory) → dead-lettered unknown-error', async () => {
    const outcome = await run(sb(), denyRegions, {}, KEYS.member);
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'unknown-error',
      attempts: 1,
      error: { code: 'EntityNotExists.ResourceDirectory', httpStatus: 404 },
    });
    expect(outcome.hint).toContain('EntityNotExists.ResourceDirectory');
    expect(policiesOn(sb(), 'fd-prod')).toEqual(['cp-FullAliyunAccess', 'cp-denyregions']);
  });

  it('NoPermission → dead-lettered permission; the hint names every permission the operation needs', async () => {
    const outcome = await run(sb(), denyRegions, {}, KEYS.readOnly);
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'permission',
      error: { code: 'NoPermission' },
    });
    for (const permission of detachControlPolicy.permissions) expect(outcome.hint).toContain(permission);
    expect(sb().calls.totals().applied).toBe(0);
  });
});

describe('alibaba detach-control-policy: transient failures', () => {
  it('Throttling.User (throttle fault) → retried and detached', async () => {
    faultFirst(sb(), 'throttle=1,actions=DetachControlPolicy');
    expect(await run(sb(), denyRegions)).toMatchObject({ status: 'detached', attempts: 2 });
    expect(callsOf(sb(), 'DetachControlPolicy')).toEqual([
      { code: 'Throttling.User', applied: false },
      { code: 'ok', applied: true },
    ]);
  });

  it('Throttling.User from a world limit → retried and detached', async () => {
    sb().replaceWorld({ ...sb().world, limits: { 'alibaba:DetachControlPolicy': 1 } });
    await run(sb(), detachControlPolicyRequest({ targetId: MEMBER_ID }));
    const outcome = await run(sb(), denyRegions, {
      clock: steadyClock,
      retryPolicies: { transient: { maxAttempts: 10, baseMs: 300, capMs: 300 } },
    });
    expect(outcome.status).toBe('detached');
    expect(callsOf(sb(), 'DetachControlPolicy').filter((c) => c.code === 'Throttling.User').length).toBe(
      outcome.attempts - 1,
    );
    expect(outcome.attempts).toBeGreaterThan(1);
  });

  it('ServiceUnavailable (5xx) → retried and detached', async () => {
    faultFirst(sb(), '5xx=1', 2);
    expect(await run(sb(), denyRegions)).toMatchObject({ status: 'detached', attempts: 3 });
    expect(policiesOn(sb(), 'fd-prod')).toEqual(['cp-FullAliyunAccess']);
  });

  it('ECONNRESET before the call (drop) → retried and detached', async () => {
    faultFirst(sb(), 'drop=1');
    expect(await run(sb(), denyRegions)).toMatchObject({ status: 'detached', attempts: 2 });
    expect(sb().calls.totals().applied).toBe(1);
  });

  it('ECONNRESET after the detach was applied (drop-after) → already-compliant, one applied call', async () => {
    faultFirst(sb(), 'drop-after=1');
    const outcome = await run(sb(), denyRegions);
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 2,
      error: { code: 'EntityNotExists.ControlPolicyAttachment' },
    });
    expect(policiesOn(sb(), 'fd-prod')).toEqual(['cp-FullAliyunAccess']);
    expect(sb().calls.totals()).toMatchObject({ mutating: 2, applied: 1 });
  });

  it('no answer (hang) past a short client time-out → retried and detached', async () => {
    faultFirst(sb(), 'hang=1,hang-ms=5000');
    const outcome = await run(sb(), denyRegions, { contextFor: () => contextFor(sb(), undefined, 300) });
    expect(outcome).toMatchObject({ status: 'detached', attempts: 2 });
    expect(callsOf(sb(), 'DetachControlPolicy')[0]).toEqual({ code: 'fault:hang', applied: false });
  });
});

describe('alibaba detach-control-policy: dry-run and stillPresent', () => {
  it('dry-run of an attached policy → skipped "would detach", zero mutating calls', async () => {
    const outcome = await run(sb(), { ...denyRegions, dryRun: true });
    expect(outcome).toMatchObject({
      status: 'skipped',
      attempts: 0,
      hint: 'dry-run: would detach the policy',
    });
    expect(sb().calls.totals().mutating).toBe(0);
    expect(policiesOn(sb(), 'fd-prod')).toEqual(['cp-FullAliyunAccess', 'cp-denyregions']);
  });

  it('dry-run of the last policy with replace-with attaches nothing', async () => {
    const outcome = await run(sb(), { ...lastOnLab, dryRun: true }, replaceWith('cp-baseline'));
    expect(outcome).toMatchObject({ status: 'skipped', hint: 'dry-run: would detach the policy' });
    expect(sb().calls.totals().mutating).toBe(0);
  });

  it('dry-run of a policy not attached → skipped "already compliant"', async () => {
    const outcome = await run(sb(), {
      ...detachControlPolicyRequest({ policyId: 'cp-allowall' }),
      dryRun: true,
    });
    expect(outcome).toMatchObject({ status: 'skipped', hint: 'dry-run: already compliant, nothing to do' });
    expect(sb().calls.totals().mutating).toBe(0);
  });

  it('dry-run that cannot read says so, with the code', async () => {
    const outcome = await run(sb(), { ...denyRegions, dryRun: true }, {}, KEYS.member);
    expect(outcome.status).toBe('skipped');
    expect(outcome.hint).toContain('could not read the current state: EntityNotExists.ResourceDirectory');
    expect(sb().calls.totals().mutating).toBe(0);
  });

  it('stillPresent: true while attached, false after the detach', async () => {
    const context = contextFor(sb());
    expect(await detachControlPolicy.stillPresent(denyRegions, context)).toEqual({ state: 'present' });
    await run(sb(), denyRegions);
    expect(await detachControlPolicy.stillPresent(denyRegions, context)).toEqual({
      state: 'absent',
    });
    // The same policy stays on another target: the read is per target.
    const onMember = detachControlPolicyRequest({ targetId: MEMBER_ID });
    expect(await detachControlPolicy.stillPresent(onMember, context)).toEqual({ state: 'present' });
  });

  it('stillPresent: false when the target is gone', async () => {
    const gone = detachControlPolicyRequest({ targetId: 'fd-gone' });
    expect(await detachControlPolicy.stillPresent(gone, contextFor(sb()))).toEqual({
      state: 'absent',
    });
  });

  it('stillPresent: not ok without a directory (the error is kept)', async () => {
    const read = await detachControlPolicy.stillPresent(denyRegions, contextFor(sb(), KEYS.member));
    expect(read).toMatchObject({
      state: 'unknown',
      error: { code: 'EntityNotExists.ResourceDirectory', errorClass: 'permanent' },
    });
    expect(sb().calls.totals().mutating).toBe(0);
  });
});

describe('alibaba detach-control-policy: ConcurrentCallNotSupported (another Resource Directory change runs)', () => {
  it('is retried like a busy resource, then detached', async () => {
    faultFirst(sb(), 'ConcurrentCallNotSupported=1', 2);
    expect(await run(sb(), denyRegions)).toMatchObject({ status: 'detached', attempts: 3 });
    expect(callsOf(sb(), 'DetachControlPolicy').map((c) => c.code)).toEqual([
      'ConcurrentCallNotSupported',
      'ConcurrentCallNotSupported',
      'ok',
    ]);
    expect(policiesOn(sb(), 'fd-prod')).toEqual(['cp-FullAliyunAccess']);
  });

  it('still refused at the deadline on a platform → retry-later; off a platform → dead-lettered conflict', async () => {
    sb().faults.set(parseFaultSpec('ConcurrentCallNotSupported=1'));
    const onPlatform = await run(sb(), denyRegions, {
      onPlatform: true,
      deadline: Date.now() + 100,
      clock: steadyClock,
    });
    expect(onPlatform).toMatchObject({
      status: 'retry-later',
      error: { code: 'ConcurrentCallNotSupported' },
    });
    const offPlatform = await run(sb(), denyRegions);
    expect(offPlatform).toMatchObject({
      status: 'dead-lettered',
      reason: 'conflict',
      attempts: FAST_RETRIES.conflict?.maxAttempts,
    });
    expect(policiesOn(sb(), 'fd-prod')).toEqual(['cp-FullAliyunAccess', 'cp-denyregions']);
  });

  it('is a fault of Resource Directory writes only: reads are not refused', async () => {
    sb().faults.set(parseFaultSpec('ConcurrentCallNotSupported=1'));
    expect(await detachControlPolicy.stillPresent(denyRegions, contextFor(sb()))).toEqual({
      state: 'present',
    });
  });
});
