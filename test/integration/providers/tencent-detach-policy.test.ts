import { beforeEach, describe, expect, it } from 'vitest';
import { executeRequest } from '../../../shared/engine/execute';
import { detachPolicy } from '../../../shared/providers/tencent/detach-policy';
import type { ProviderContext } from '../../../shared/providers/types';
import { SANDBOX_CREDENTIALS, sandboxOptions } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';
import {
  BULK_POLICIES,
  boundTo,
  faultCalls,
  KEYS,
  NODE,
  optionsWith,
  PAGED_POLICIES,
  POLICY,
  tencentRequest,
  tencentWorld,
  UIN,
} from './tencent-fixture';

const sandbox = useSandbox(tencentWorld);
const url = () => sandbox.current.url;
const totals = () => sandbox.current.calls.totals();
const detachCalls = () => sandbox.current.calls.list({ action: 'DetachPolicy' });
const context = (credentials = SANDBOX_CREDENTIALS): ProviderContext => ({
  credentials,
  endpoint: url(),
  timeoutMs: 2_000,
});

beforeEach(() => {
  sandbox.current.removeAllListeners('call');
  sandbox.current.reset();
});

describe('tencent/detach-policy through executeRequest: success', () => {
  it('detaches an SCP from a department with one applied DetachPolicy call', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.denyCam, targetId: NODE.production }),
      sandboxOptions(url()),
    );
    expect(outcome).toMatchObject({
      status: 'detached',
      operation: 'tencent/detach-policy',
      target: `NODE:${NODE.production} SERVICE_CONTROL_POLICY:${POLICY.denyCam}`,
      attempts: 1,
    });
    expect(outcome.error).toBeUndefined();
    expect(boundTo(sandbox.current, NODE.production)).toEqual([POLICY.fullAccess, POLICY.costCenterTags]);
    expect(totals()).toMatchObject({ mutating: 1, applied: 1 });
    expect(detachCalls()[0]?.params).toMatchObject({
      PolicyId: POLICY.denyCam,
      TargetId: NODE.production,
      TargetType: 'NODE',
      Type: 'SERVICE_CONTROL_POLICY',
    });
  });

  it('detaches an SCP from a member', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.allowAll, targetId: UIN.prod, targetType: 'MEMBER' }),
      sandboxOptions(url()),
    );
    expect(outcome.status).toBe('detached');
    expect(boundTo(sandbox.current, UIN.prod)).toEqual([POLICY.fullAccess]);
    expect(totals().applied).toBe(1);
  });

  it('detaches the only TAG_POLICY of a department (the last-policy rule is for SCPs only)', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.costCenterTags, targetId: NODE.production, type: 'TAG_POLICY' }),
      sandboxOptions(url()),
    );
    expect(outcome).toMatchObject({
      status: 'detached',
      target: `NODE:${NODE.production} TAG_POLICY:${POLICY.costCenterTags}`,
    });
    expect(boundTo(sandbox.current, NODE.production)).toEqual([POLICY.fullAccess, POLICY.denyCam]);
    expect(detachCalls()).toMatchObject([{ applied: true, params: { Type: 'TAG_POLICY' } }]);
  });

  it('signs with temporary (STS) credentials and their token', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.denyCam, targetId: NODE.production }),
      optionsWith(url(), KEYS.sts),
    );
    expect(outcome.status).toBe('detached');
    expect(detachCalls()).toMatchObject([{ accessKeyId: KEYS.sts.accessKeyId, applied: true }]);
  });

  it('a second request for the same attachment is already-compliant, with no second applied call', async () => {
    const request = tencentRequest({ policyId: POLICY.denyCam, targetId: NODE.production });
    expect((await executeRequest(request, sandboxOptions(url()))).status).toBe('detached');
    const again = await executeRequest(request, sandboxOptions(url()));
    expect(again).toMatchObject({
      status: 'already-compliant',
      error: { provider: 'tencent', code: 'FailedOperation.OrganizationDetachPolicyError' },
    });
    expect(totals()).toMatchObject({ mutating: 2, applied: 1 });
  });
});

describe('tencent/detach-policy: already gone → already-compliant', () => {
  const cases = [
    {
      code: 'ResourceNotFound.PolicyNotExist',
      why: 'a policy id no organization holds',
      fields: { policyId: 777777, targetId: NODE.production },
      missing: 'policy 777777',
    },
    {
      code: 'InvalidParameter.PolicyIdNotExist',
      why: "another organization's policy id",
      fields: { policyId: POLICY.orgBOnly, targetId: NODE.production },
      missing: `policy ${POLICY.orgBOnly}`,
    },
    {
      code: 'ResourceNotFound.OrganizationNodeNotExist',
      why: 'a department that no longer exists',
      fields: { policyId: POLICY.denyCam, targetId: 9999 },
      missing: 'node 9999',
    },
    {
      code: 'ResourceNotFound.OrganizationMemberNotExist',
      why: 'a member that left the organization',
      fields: { policyId: POLICY.allowAll, targetId: 100000000099, targetType: 'MEMBER' as const },
      missing: 'member 100000000099',
    },
  ];

  it.each(cases)(
    '$code ($why): one call, nothing applied, no truth read, says what is missing',
    async ({ code, fields, missing }) => {
      const outcome = await executeRequest(tencentRequest(fields), sandboxOptions(url()));
      expect(outcome).toMatchObject({
        status: 'already-compliant',
        attempts: 1,
        error: { provider: 'tencent', code, httpStatus: 200 },
        missing,
      });
      expect(outcome.error?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(totals()).toMatchObject({ total: 1, mutating: 1, applied: 0 });
      expect(detachCalls()).toMatchObject([{ code }]);
    },
  );

  it('FailedOperation.OrganizationDetachPolicyError (not bound) is ambiguous: the truth read finds it gone', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.denyCam, targetId: NODE.lab }),
      sandboxOptions(url()),
    );
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 1,
      error: { code: 'FailedOperation.OrganizationDetachPolicyError' },
    });
    // Both exist; the policy is only not bound there.
    expect(outcome.missing).toBeUndefined();
    // One DetachPolicy, then one page of ListPoliciesForTarget for the department.
    expect(sandbox.current.calls.list().map((c) => c.action)).toEqual([
      'DetachPolicy',
      'ListPoliciesForTarget',
    ]);
    expect(boundTo(sandbox.current, NODE.lab)).toEqual([POLICY.allowAll]);
  });

  it('an ambiguous error whose truth cannot be read is never called compliant', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.denyCam, targetId: NODE.lab }),
      optionsWith(url(), KEYS.noList),
    );
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'unknown-error',
      attempts: 3,
      error: { code: 'FailedOperation.OrganizationDetachPolicyError' },
    });
    expect(sandbox.current.calls.list({ action: 'ListPoliciesForTarget' })).toHaveLength(3);
    expect(totals().applied).toBe(0);
  });
});

describe('tencent/detach-policy: last policy', () => {
  const lastOfLab = () => tencentRequest({ policyId: POLICY.allowAll, targetId: NODE.lab });

  it('FailedOperation.OrganizationDetachLastPolicyError → dead-lettered last-policy, not retried', async () => {
    const outcome = await executeRequest(lastOfLab(), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'last-policy',
      attempts: 1,
      error: { code: 'FailedOperation.OrganizationDetachLastPolicyError' },
    });
    expect(outcome.hint).toMatch(/replaceWith/);
    expect(boundTo(sandbox.current, NODE.lab)).toEqual([POLICY.allowAll]);
    expect(totals()).toMatchObject({ mutating: 1, applied: 0 });
  });

  it('the same for a member whose only SCP it is', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.allowAll, targetId: UIN.lab, targetType: 'MEMBER' }),
      sandboxOptions(url(), { lastPolicy: { tencent: 'dead-letter' } }),
    );
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'last-policy' });
    expect(boundTo(sandbox.current, UIN.lab)).toEqual([POLICY.allowAll]);
  });

  it('replace-with: attaches the fallback, then detaches → detached with replacedWith', async () => {
    const outcome = await executeRequest(
      lastOfLab(),
      sandboxOptions(url(), { lastPolicy: { tencent: { replaceWith: String(POLICY.fallback) } } }),
    );
    expect(outcome).toMatchObject({ status: 'detached', replacedWith: String(POLICY.fallback), attempts: 1 });
    expect(boundTo(sandbox.current, NODE.lab)).toEqual([POLICY.fallback]);
    const mutating = sandbox.current.calls.list({ mutating: true });
    expect(mutating.map((c) => [c.action, c.applied, (c.params as { PolicyId: number }).PolicyId])).toEqual([
      ['DetachPolicy', false, POLICY.allowAll],
      ['AttachPolicy', true, POLICY.fallback],
      ['DetachPolicy', true, POLICY.allowAll],
    ]);
  });

  it('replace-with on a member keeps the member covered by the fallback', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.allowAll, targetId: UIN.lab, targetType: 'MEMBER' }),
      sandboxOptions(url(), { lastPolicy: { tencent: { replaceWith: String(POLICY.fallback) } } }),
    );
    expect(outcome).toMatchObject({ status: 'detached', replacedWith: String(POLICY.fallback) });
    expect(sandbox.current.world.tencent.organizations[0]?.bindings).toContainEqual(
      expect.objectContaining({ policyId: POLICY.fallback, targetId: UIN.lab, targetType: 'MEMBER' }),
    );
    expect(boundTo(sandbox.current, UIN.lab)).toEqual([POLICY.fallback]);
  });

  it('replace-with: when the detach after the attach fails, the fallback is taken off again', async () => {
    // The second DetachPolicy (the one after AttachPolicy) answers InternalError; no retry allowed.
    faultCalls(sandbox.current, '5xx=1,actions=DetachPolicy', { after: 1, action: 'DetachPolicy' });
    const outcome = await executeRequest(
      lastOfLab(),
      sandboxOptions(url(), {
        lastPolicy: { tencent: { replaceWith: String(POLICY.fallback) } },
        retryPolicies: { transient: { maxAttempts: 1, baseMs: 1, capMs: 1 } },
      }),
    );
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'retry-budget-exhausted',
      error: { code: 'InternalError' },
    });
    expect(outcome.replacedWith).toBeUndefined();
    expect(boundTo(sandbox.current, NODE.lab)).toEqual([POLICY.allowAll]);
    const mutating = sandbox.current.calls.list({ mutating: true });
    expect(mutating.map((c) => [c.action, c.applied, (c.params as { PolicyId: number }).PolicyId])).toEqual([
      ['DetachPolicy', false, POLICY.allowAll],
      ['AttachPolicy', true, POLICY.fallback],
      ['DetachPolicy', false, POLICY.allowAll],
      ['DetachPolicy', true, POLICY.fallback],
    ]);
  });

  it('replace-with: a rolled-back replacement is retried and then completes', async () => {
    faultCalls(sandbox.current, '5xx=1,actions=DetachPolicy', { after: 1, action: 'DetachPolicy' });
    const outcome = await executeRequest(
      lastOfLab(),
      sandboxOptions(url(), { lastPolicy: { tencent: { replaceWith: String(POLICY.fallback) } } }),
    );
    expect(outcome).toMatchObject({ status: 'detached', replacedWith: String(POLICY.fallback), attempts: 2 });
    expect(boundTo(sandbox.current, NODE.lab)).toEqual([POLICY.fallback]);
    expect(sandbox.current.calls.list({ action: 'AttachPolicy' })).toHaveLength(2);
  });

  it('replace-with a fallback that does not exist: dead-lettered last-policy, never already-compliant', async () => {
    const outcome = await executeRequest(
      lastOfLab(),
      sandboxOptions(url(), { lastPolicy: { tencent: { replaceWith: '777777' } } }),
    );
    // AttachPolicy answers ResourceNotFound.PolicyNotExist about the fallback, not about the attachment.
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'last-policy',
      error: { code: 'ResourceNotFound.PolicyNotExist' },
    });
    expect(boundTo(sandbox.current, NODE.lab)).toEqual([POLICY.allowAll]);
    expect(totals().applied).toBe(0);
  });
});

describe('tencent/detach-policy: permanent failures are dead-lettered, nothing applied', () => {
  it('FailedOperation.OrganizationPolicyIsNotEnabled → policy-type-disabled', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: 900003, targetId: 2000, type: 'TAG_POLICY' }),
      optionsWith(url(), KEYS.ownerB),
    );
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'policy-type-disabled',
      attempts: 1,
      error: { code: 'FailedOperation.OrganizationPolicyIsNotEnabled' },
    });
    expect(boundTo(sandbox.current, 2000, 1)).toContain(900003);
    expect(totals()).toMatchObject({ mutating: 1, applied: 0 });
  });

  it.each([
    { name: 'a key denied DetachPolicy', code: 'UnauthorizedOperation', credentials: KEYS.deny },
    {
      name: 'a member account, not the management account',
      code: 'InvalidParameter.OrganizationMemberNotManager',
      credentials: KEYS.memberB,
    },
    {
      name: 'an unknown SecretId',
      code: 'AuthFailure.SecretIdNotFound',
      credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' },
    },
    {
      name: 'a wrong secret',
      code: 'AuthFailure.SignatureFailure',
      credentials: { accessKeyId: 'sandbox', accessKeySecret: 'not-the-secret' },
    },
    {
      name: 'a temporary key with the wrong token',
      code: 'AuthFailure.TokenFailure',
      credentials: { ...KEYS.sts, securityToken: 'stale-token' },
    },
    {
      name: 'a temporary key without its token',
      code: 'AuthFailure.TokenFailure',
      credentials: { accessKeyId: KEYS.sts.accessKeyId, accessKeySecret: KEYS.sts.accessKeySecret },
    },
  ])('$code ($name) → permission, with the permissions needed in the hint', async ({ code, credentials }) => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.denyCam, targetId: NODE.production }),
      optionsWith(url(), credentials),
    );
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'permission',
      attempts: 1,
      error: { code },
    });
    expect(outcome.hint).toContain('organization:DetachPolicy');
    expect(outcome.hint).not.toContain(credentials.accessKeySecret);
    expect(boundTo(sandbox.current, NODE.production)).toContain(POLICY.denyCam);
    expect(totals().applied).toBe(0);
  });

  it('ResourceNotFound.OrganizationNotExist (the account is in no organization) → unknown-error', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.denyCam, targetId: NODE.production }),
      optionsWith(url(), KEYS.loner),
    );
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'unknown-error',
      attempts: 1,
      error: { code: 'ResourceNotFound.OrganizationNotExist' },
    });
    expect(totals()).toMatchObject({ mutating: 1, applied: 0 });
  });

  it('InvalidParameter.ParamError (an SCP id sent as a TAG_POLICY) → invalid-input', async () => {
    const outcome = await executeRequest(
      tencentRequest({ policyId: POLICY.denyCam, targetId: NODE.production, type: 'TAG_POLICY' }),
      sandboxOptions(url()),
    );
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'invalid-input',
      attempts: 1,
      error: { code: 'InvalidParameter.ParamError' },
    });
    expect(boundTo(sandbox.current, NODE.production)).toContain(POLICY.denyCam);
  });
});

describe('tencent/detach-policy: dry-run', () => {
  const dry = (fields: Parameters<typeof tencentRequest>[0]) => tencentRequest({ ...fields, dryRun: true });

  it('an attached policy → skipped, "would detach", zero mutating calls', async () => {
    const outcome = await executeRequest(
      dry({ policyId: POLICY.denyCam, targetId: NODE.production }),
      sandboxOptions(url()),
    );
    expect(outcome).toMatchObject({
      status: 'skipped',
      attempts: 0,
      hint: 'dry-run: would detach the policy',
    });
    expect(totals()).toMatchObject({ mutating: 0, read: 1 });
    expect(boundTo(sandbox.current, NODE.production)).toContain(POLICY.denyCam);
  });

  it('the last policy of a target → skipped too: dry-run never attaches a fallback', async () => {
    const outcome = await executeRequest(
      dry({ policyId: POLICY.allowAll, targetId: NODE.lab }),
      sandboxOptions(url(), { lastPolicy: { tencent: { replaceWith: String(POLICY.fallback) } } }),
    );
    expect(outcome).toMatchObject({ status: 'skipped', hint: 'dry-run: would detach the policy' });
    expect(totals().mutating).toBe(0);
  });

  it('a policy that is not attached → skipped, "already compliant"', async () => {
    const outcome = await executeRequest(
      dry({ policyId: POLICY.denyCam, targetId: NODE.lab }),
      sandboxOptions(url()),
    );
    expect(outcome).toMatchObject({ status: 'skipped', hint: 'dry-run: already compliant, nothing to do' });
    expect(totals().mutating).toBe(0);
  });

  it('a state that cannot be read → skipped, naming the read error', async () => {
    const outcome = await executeRequest(
      dry({ policyId: POLICY.denyCam, targetId: NODE.production }),
      optionsWith(url(), KEYS.noList),
    );
    expect(outcome.status).toBe('skipped');
    expect(outcome.hint).toMatch(/could not read the current state: UnauthorizedOperation/);
    expect(totals().mutating).toBe(0);
  });
});

describe('tencent/detach-policy stillPresent', () => {
  const present = (fields: Parameters<typeof tencentRequest>[0], credentials = SANDBOX_CREDENTIALS) =>
    detachPolicy.stillPresent(tencentRequest(fields), context(credentials));
  const listCalls = () => sandbox.current.calls.list({ action: 'ListPoliciesForTarget' });

  it('reads a department with several policies, by policy type', async () => {
    expect(await present({ policyId: POLICY.denyCam, targetId: NODE.production })).toEqual({
      state: 'present',
    });
    expect(await present({ policyId: POLICY.fullAccess, targetId: NODE.production })).toEqual({
      state: 'present',
    });
    expect(await present({ policyId: POLICY.allowAll, targetId: NODE.production })).toEqual({
      state: 'absent',
    });
    // The tag policy is listed only under its own type.
    expect(
      await present({ policyId: POLICY.costCenterTags, targetId: NODE.production, type: 'TAG_POLICY' }),
    ).toEqual({
      state: 'present',
    });
    expect(await present({ policyId: POLICY.costCenterTags, targetId: NODE.production })).toEqual({
      state: 'absent',
    });
    expect(listCalls().map((c) => c.code)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(totals().mutating).toBe(0);
  });

  it('reads members, and follows a detach', async () => {
    const request = { policyId: POLICY.allowAll, targetId: UIN.prod, targetType: 'MEMBER' as const };
    expect((await present(request)).state).toBe('present');
    await executeRequest(tencentRequest(request), sandboxOptions(url()));
    expect(await present(request)).toEqual({ state: 'absent' });
  });

  it(`pages through a department with ${BULK_POLICIES + 1} policies`, async () => {
    expect(
      (await present({ policyId: POLICY.bulkFirst + BULK_POLICIES - 1, targetId: NODE.bulk })).state,
    ).toBe('present');
    expect(listCalls()).toHaveLength(1);
  });

  it(`pages through a department with ${PAGED_POLICIES} policies (more than one 200-item page)`, async () => {
    const last = POLICY.pagedFirst + PAGED_POLICIES - 1;
    expect(await present({ policyId: last, targetId: NODE.paging })).toEqual({ state: 'present' });
    expect(listCalls()).toHaveLength(2);
    expect(await present({ policyId: POLICY.pagedFirst, targetId: NODE.paging })).toEqual({
      state: 'present',
    });
    expect(listCalls()).toHaveLength(3);
    expect(await present({ policyId: POLICY.denyCam, targetId: NODE.paging })).toEqual({
      state: 'absent',
    });
    expect(listCalls()).toHaveLength(5);
  });

  it('a target that does not exist has nothing bound', async () => {
    expect(await present({ policyId: POLICY.denyCam, targetId: 9999 })).toEqual({ state: 'absent' });
  });

  it('a read that fails is not ok, and carries the classified error', async () => {
    expect(await present({ policyId: POLICY.denyCam, targetId: NODE.production }, KEYS.noList)).toMatchObject(
      {
        state: 'unknown',
        error: { provider: 'tencent', errorClass: 'permission', code: 'UnauthorizedOperation' },
      },
    );
    expect(await present({ policyId: POLICY.denyCam, targetId: NODE.production }, KEYS.loner)).toMatchObject({
      state: 'unknown',
      error: { errorClass: 'permanent', code: 'ResourceNotFound.OrganizationNotExist' },
    });
  });

  it('a read that meets a transient error is not ok (the engine decides to retry)', async () => {
    faultCalls(sandbox.current, '5xx=1');
    expect(await present({ policyId: POLICY.denyCam, targetId: NODE.production })).toMatchObject({
      state: 'unknown',
      error: { errorClass: 'transient', code: 'InternalError' },
    });
  });
});
