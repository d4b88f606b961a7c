import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { executeRequest } from '../../../shared/engine/execute';
import { detachAgencyPolicy } from '../../../shared/providers/huawei/detach-agency-policy';
import type { Credentials, ProviderContext } from '../../../shared/providers/types';
import { SANDBOX_CREDENTIALS, sandboxOptions } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';
import {
  attachedTo,
  faultCalls,
  huaweiRequest,
  huaweiWorld,
  KEYS,
  PAGED_POLICIES,
  pagedId,
} from './huawei-fixture';

const sandbox = useSandbox(huaweiWorld);
const url = () => sandbox.current.url;
const totals = () => sandbox.current.calls.totals();
const detachCalls = () => sandbox.current.calls.list({ action: 'DetachAgencyPolicyV5' });
const listCalls = () => sandbox.current.calls.list({ action: 'ListAttachedAgencyPoliciesV5' });
const context = (credentials: Credentials = SANDBOX_CREDENTIALS): ProviderContext => ({
  credentials,
  endpoint: url(),
  timeoutMs: 2_000,
});
const obsOnCi = () => huaweiRequest({ policyId: 'p-ecs', agencyId: 'ag-ci' });

/**
 * Everything written to stdout during each test, kept off the test output. The SDK's own logger prints
 * failed requests (with the Authorization and X-Security-Token headers) there; the provider must not.
 */
let stdout: string[] = [];
let spy: MockInstance<typeof process.stdout.write> | undefined;

beforeEach(() => {
  sandbox.current.removeAllListeners('call');
  sandbox.current.reset();
  stdout = [];
  spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  spy?.mockRestore();
  // Every test here includes failing SDK calls or none; either way the SDK must have printed nothing.
  expect(stdout.join('')).toBe('');
});

describe('huawei/detach-agency-policy through executeRequest: success', () => {
  it('detaches a policy from an agency with one applied call', async () => {
    const outcome = await executeRequest(obsOnCi(), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'detached',
      operation: 'huawei/detach-agency-policy',
      target: 'agency:ag-ci policy:p-ecs',
      attempts: 1,
    });
    expect(outcome.error).toBeUndefined();
    expect(attachedTo(sandbox.current, 'ag-ci')).toEqual(['p-full', 'p-vpc', 'p-dns']);
    expect(totals()).toMatchObject({ mutating: 1, applied: 1 });
    expect(detachCalls()[0]?.params).toEqual({ policy_id: 'p-ecs', agency_id: 'ag-ci' });
  });

  it('detaches from a trust agency, leaving it with no policy (Huawei has no last-policy rule)', async () => {
    const outcome = await executeRequest(
      huaweiRequest({ policyId: 'p-read', agencyId: 'ag-trust' }),
      sandboxOptions(url()),
    );
    expect(outcome.status).toBe('detached');
    expect(attachedTo(sandbox.current, 'ag-trust')).toEqual([]);
  });

  it('signs with temporary credentials and their security token', async () => {
    const outcome = await executeRequest(obsOnCi(), sandboxOptions(url(), {}, KEYS.temporary));
    expect(outcome.status).toBe('detached');
    expect(detachCalls()).toMatchObject([{ accessKeyId: KEYS.temporary.accessKeyId, applied: true }]);
  });
});

describe('huawei 404 → already-compliant', () => {
  // A 404 does not say what is missing: two reads (the agency's attachments, the policy's entities) do.
  it.each([
    {
      why: 'the policy is not attached to the agency',
      fields: { policyId: 'p-obs', agencyId: 'ag-ci' },
      missing: undefined,
    },
    {
      why: 'the policy no longer exists',
      fields: { policyId: 'p-deleted', agencyId: 'ag-ci' },
      missing: 'policy p-deleted',
    },
    {
      why: 'the agency no longer exists',
      fields: { policyId: 'p-full', agencyId: 'ag-deleted' },
      missing: 'agency ag-deleted',
    },
    {
      why: 'neither exists (a typo)',
      fields: { policyId: 'p-1', agencyId: 'a-1' },
      missing: 'policy p-1 and agency a-1',
    },
  ])('$why: one detach call, nothing applied, missing: $missing', async ({ fields, missing }) => {
    const outcome = await executeRequest(huaweiRequest(fields), sandboxOptions(url()));
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 1,
      error: { provider: 'huawei', code: 'IAM.0004', httpStatus: 404 },
    });
    expect(outcome.missing).toBe(missing);
    expect(outcome.error?.requestId).toBe(detachCalls()[0]?.requestId);
    expect(totals()).toMatchObject({ mutating: 1, applied: 0 });
  });

  it('a second request for a detached policy: already-compliant, still one applied call', async () => {
    expect((await executeRequest(obsOnCi(), sandboxOptions(url()))).status).toBe('detached');
    expect((await executeRequest(obsOnCi(), sandboxOptions(url()))).status).toBe('already-compliant');
    expect(totals()).toMatchObject({ mutating: 2, applied: 1 });
  });
});

describe('huawei 403 / 401 → permission, nothing applied', () => {
  it('403 PAP5.0001 (a key denied iam:agencies:detachPolicyV5)', async () => {
    const outcome = await executeRequest(obsOnCi(), sandboxOptions(url(), {}, KEYS.deny));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'permission',
      attempts: 1,
      error: { code: 'PAP5.0001', httpStatus: 403 },
    });
    expect(outcome.hint).toContain('iam:agencies:detachPolicyV5');
    expect(attachedTo(sandbox.current, 'ag-ci')).toContain('p-ecs');
    expect(totals().applied).toBe(0);
  });

  it.each([
    { why: 'a wrong secret key', credentials: { accessKeyId: 'sandbox', accessKeySecret: 'not-the-secret' } },
    {
      why: 'an unknown access key',
      credentials: { accessKeyId: 'nobody', accessKeySecret: 'nobody-secret' },
    },
    { why: 'a temporary key with a stale token', credentials: { ...KEYS.temporary, securityToken: 'stale' } },
    {
      why: 'a temporary key without its token',
      credentials: {
        accessKeyId: KEYS.temporary.accessKeyId,
        accessKeySecret: KEYS.temporary.accessKeySecret,
      },
    },
  ])('401 APIGW.0301 ($why)', async ({ credentials }) => {
    const outcome = await executeRequest(obsOnCi(), sandboxOptions(url(), {}, credentials));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'permission',
      attempts: 1,
      error: { code: 'APIGW.0301', httpStatus: 401 },
    });
    expect(JSON.stringify(outcome)).not.toContain(credentials.accessKeySecret);
    expect(totals().applied).toBe(0);
  });
});

describe('huawei SDK output', () => {
  it('prints nothing to stdout on failing calls, which carry the security token', async () => {
    const failing = [
      executeRequest(
        huaweiRequest({ policyId: 'p-obs', agencyId: 'ag-ci' }),
        sandboxOptions(url(), {}, KEYS.temporary),
      ),
      executeRequest(obsOnCi(), sandboxOptions(url(), {}, { ...KEYS.temporary, securityToken: 'stale' })),
    ];
    expect((await Promise.all(failing)).map((o) => o.error?.code)).toEqual(['IAM.0004', 'APIGW.0301']);
    expect(stdout).toEqual([]);
  });
});

describe('huawei dry-run', () => {
  it('an attached policy → skipped, "would detach", zero mutating calls', async () => {
    const outcome = await executeRequest(
      huaweiRequest({ policyId: 'p-ecs', agencyId: 'ag-ci', dryRun: true }),
      sandboxOptions(url()),
    );
    expect(outcome).toMatchObject({
      status: 'skipped',
      attempts: 0,
      hint: 'dry-run: would detach the policy',
    });
    expect(totals()).toMatchObject({ mutating: 0, read: 1 });
    expect(attachedTo(sandbox.current, 'ag-ci')).toContain('p-ecs');
  });

  it('an agency that is being modified: the dry-run only reads, so it is not blocked', async () => {
    const outcome = await executeRequest(
      huaweiRequest({ policyId: 'p-full', agencyId: 'ag-busy', dryRun: true }),
      sandboxOptions(url()),
    );
    expect(outcome).toMatchObject({ status: 'skipped', hint: 'dry-run: would detach the policy' });
    expect(totals().mutating).toBe(0);
  });

  it('a policy that is not attached, or an agency that is gone → skipped, "already compliant"', async () => {
    for (const fields of [
      { policyId: 'p-obs', agencyId: 'ag-ci' },
      { policyId: 'p-obs', agencyId: 'ag-deleted' },
    ]) {
      const outcome = await executeRequest(huaweiRequest({ ...fields, dryRun: true }), sandboxOptions(url()));
      expect(outcome).toMatchObject({ status: 'skipped', hint: 'dry-run: already compliant, nothing to do' });
    }
    expect(totals().mutating).toBe(0);
  });

  it('a state that cannot be read → skipped, naming the read error', async () => {
    const outcome = await executeRequest(
      huaweiRequest({ policyId: 'p-ecs', agencyId: 'ag-ci', dryRun: true }),
      sandboxOptions(url(), {}, KEYS.noList),
    );
    expect(outcome.status).toBe('skipped');
    expect(outcome.hint).toMatch(/could not read the current state: PAP5.0001/);
    expect(totals().mutating).toBe(0);
  });
});

describe('huawei/detach-agency-policy stillPresent', () => {
  const present = (fields: { policyId: string; agencyId: string }, credentials?: Credentials) =>
    detachAgencyPolicy.stillPresent(huaweiRequest(fields), context(credentials));

  it('reads an agency with several policies', async () => {
    for (const policyId of ['p-full', 'p-ecs', 'p-vpc', 'p-dns'])
      expect(await present({ policyId, agencyId: 'ag-ci' })).toEqual({ state: 'present' });
    expect(await present({ policyId: 'p-obs', agencyId: 'ag-ci' })).toEqual({ state: 'absent' });
    expect(listCalls()).toHaveLength(5);
    expect(totals().mutating).toBe(0);
  });

  it('follows a detach', async () => {
    expect((await present({ policyId: 'p-ecs', agencyId: 'ag-ci' })).state).toBe('present');
    await executeRequest(obsOnCi(), sandboxOptions(url()));
    expect(await present({ policyId: 'p-ecs', agencyId: 'ag-ci' })).toEqual({ state: 'absent' });
  });

  it(`pages with the marker through an agency with ${PAGED_POLICIES} policies`, async () => {
    const last = pagedId(PAGED_POLICIES - 1);
    expect(await present({ policyId: pagedId(0), agencyId: 'ag-paging' })).toEqual({
      state: 'present',
    });
    expect(listCalls()).toHaveLength(1);
    expect(await present({ policyId: last, agencyId: 'ag-paging' })).toEqual({ state: 'present' });
    expect(listCalls()).toHaveLength(3);
    expect(await present({ policyId: 'p-obs', agencyId: 'ag-paging' })).toEqual({ state: 'absent' });
    expect(listCalls()).toHaveLength(5);
    expect(listCalls().every((c) => c.code === undefined)).toBe(true);
  });

  it('an agency that does not exist (404) has nothing attached', async () => {
    expect(await present({ policyId: 'p-full', agencyId: 'ag-deleted' })).toEqual({
      state: 'absent',
    });
  });

  it('a read that fails is not ok, and carries the classified error', async () => {
    expect(await present({ policyId: 'p-ecs', agencyId: 'ag-ci' }, KEYS.noList)).toMatchObject({
      state: 'unknown',
      error: { provider: 'huawei', errorClass: 'permission', code: 'PAP5.0001', httpStatus: 403 },
    });
    faultCalls(sandbox.current, '5xx=1');
    expect(await present({ policyId: 'p-ecs', agencyId: 'ag-ci' })).toMatchObject({
      state: 'unknown',
      error: { errorClass: 'transient', code: 'APIGW.0201', httpStatus: 502 },
    });
  });
});
