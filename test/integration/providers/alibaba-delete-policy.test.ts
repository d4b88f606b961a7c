import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import { EMPTY_RULES } from '../../../shared/config/rules';
import { Engine } from '../../../shared/engine/engine';
import type { Outcome } from '../../../shared/outcomes';
import { deletePolicy } from '../../../shared/providers/alibaba/delete-policy';
import { ALL_CLOUDS } from '../../../shared/providers/all';
import type { AlibabaDeletePolicy, RemediationRequest } from '../../../shared/requests';
import { MemoryStore } from '../../../shared/state/memory';
import { FAST_RETRIES } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';
import {
  ACCOUNT,
  accountState,
  afterCall,
  alibabaProvidersWorld,
  CROWD,
  callsOf,
  contextFor,
  deletePolicyRequest,
  faultFirst,
  KEYS,
  run,
  user,
} from './alibaba-fixtures';

const sandbox = useSandbox(alibabaProvidersWorld);
const sb = () => sandbox.current;

const policy = (name: string) =>
  accountState(sb()).policies.find((p) => p.name === name && p.type === 'Custom');
const attachmentsOf = (name: string) =>
  accountState(sb()).attachments.filter((a) => a.policyType === 'Custom' && a.policyName === name);
const cascade = (policyName: string) => deletePolicyRequest({ policyName, cascade: true });

/** A cascade runs its detaches through the engine (issue 11 defect 2), so it is tested through one. */
function runCascade(sandbox: Sandbox, request: RemediationRequest): Promise<Outcome> {
  const engine = new Engine({
    clouds: ALL_CLOUDS,
    store: new MemoryStore(),
    rules: EMPTY_RULES,
    logger: pino({ level: 'silent' }),
    dryRun: false,
    retryPolicies: FAST_RETRIES,
  });
  const at = Date.now();
  return engine.handle(request, {
    trigger: 'cli',
    eventId: `cascade-${at}-${Math.random()}`,
    explicit: true,
    deadline: at + 20_000,
    context: contextFor(sandbox),
    onPlatform: false,
  });
}

beforeEach(() => sb().reset());
afterEach(() => {
  sb().removeAllListeners('call');
});

describe('alibaba delete-policy: plain delete', () => {
  it('deletes an unattached policy with one default version → deleted, one applied call', async () => {
    expect(await run(sb(), deletePolicyRequest())).toMatchObject({ status: 'deleted', attempts: 1 });
    expect(policy('unused')).toBeUndefined();
    expect(sb().calls.totals()).toMatchObject({ mutating: 1, applied: 1 });
  });

  it('EntityNotExist.Policy → already-compliant, nothing applied', async () => {
    const outcome = await run(sb(), deletePolicyRequest({ policyName: 'never-existed' }));
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 1,
      error: { code: 'EntityNotExist.Policy', httpStatus: 404 },
    });
    expect(sb().calls.totals()).toMatchObject({ mutating: 1, applied: 0 });
  });

  it('a System policy name is not a custom policy: EntityNotExist.Policy, the system policy stays', async () => {
    const outcome = await run(sb(), deletePolicyRequest({ policyName: 'AdministratorAccess' }));
    expect(outcome).toMatchObject({ status: 'already-compliant', error: { code: 'EntityNotExist.Policy' } });
    expect(accountState(sb()).policies.some((p) => p.name === 'AdministratorAccess')).toBe(true);
  });

  it.each([
    ['user-held', 'DeleteConflict.Policy.User'],
    ['group-held', 'DeleteConflict.Policy.Group'],
    ['role-held', 'DeleteConflict.Policy.Role'],
    ['versioned', 'DeleteConflict.Policy.Version'],
  ])('%s without cascade → dead-lettered attached-elsewhere (%s), nothing changed', async (name, code) => {
    const before = structuredClone(accountState(sb()));
    const outcome = await run(sb(), deletePolicyRequest({ policyName: name }));
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'attached-elsewhere',
      attempts: 1,
      error: { code, httpStatus: 409 },
    });
    expect(outcome.hint).toMatch(/cascade/);
    expect(accountState(sb())).toEqual(before);
    expect(callsOf(sb(), 'DeletePolicy')).toEqual([{ code, applied: false }]);
    expect(sb().calls.totals().applied).toBe(0);
  });

  it('InvalidParameter.* (a name the cloud refuses, sent past validation) → dead-lettered invalid-input', async () => {
    // parseRequest refuses this name (129 characters); the cloud's answer still has to be classified.
    const tooLong: AlibabaDeletePolicy = { ...deletePolicyRequest(), policyName: 'x'.repeat(129) };
    const outcome = await run(sb(), tooLong);
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'invalid-input',
      error: { code: 'InvalidParameter.PolicyName.Length', httpStatus: 400 },
    });
    expect(outcome.hint).toContain('The length of the policy name is invalid');
  });
});

describe('alibaba delete-policy: cascade', () => {
  it.each([
    ['user-held', 'DeleteConflict.Policy.User'],
    ['group-held', 'DeleteConflict.Policy.Group'],
    ['role-held', 'DeleteConflict.Policy.Role'],
    ['versioned', 'DeleteConflict.Policy.Version'],
  ])('%s (blocked by %s) with cascade → deleted', async (name) => {
    expect(await runCascade(sb(), cascade(name))).toMatchObject({ status: 'deleted', attempts: 1 });
    expect(policy(name)).toBeUndefined();
    expect(attachmentsOf(name)).toEqual([]);
    expect(callsOf(sb(), 'DeletePolicy')).toEqual([{ code: 'ok', applied: true }]);
  });

  it('clears attachments to users, groups and roles in groups and account scope, and non-default versions', async () => {
    const others = accountState(sb()).attachments.filter((a) => a.policyName !== 'everywhere');
    const outcome = await runCascade(sb(), cascade('everywhere'));
    expect(outcome).toMatchObject({ status: 'deleted', attempts: 1 });
    expect(policy('everywhere')).toBeUndefined();
    expect(attachmentsOf('everywhere')).toEqual([]);
    // Nothing else was touched: the same principals keep their other policies.
    expect(accountState(sb()).attachments).toEqual(others);
    expect(callsOf(sb(), 'DetachPolicy')).toHaveLength(4);
    // v1 and v3 are deleted; the default v2 goes with the policy.
    expect(
      sb()
        .calls.list({ action: 'DeletePolicyVersion' })
        .map((c) => c.params),
    ).toEqual([
      expect.objectContaining({ PolicyName: 'everywhere', VersionId: 'v1' }),
      expect.objectContaining({ PolicyName: 'everywhere', VersionId: 'v3' }),
    ]);
    expect(sb().calls.totals()).toMatchObject({ mutating: 7, applied: 7 });
    // Each detach names the attachment's own scope.
    expect(
      sb()
        .calls.list({ action: 'DetachPolicy' })
        .map((c) => (c.params as Record<string, string>).ResourceGroupId)
        .sort(),
    ).toEqual([ACCOUNT, 'rg-prod', 'rg-prod', 'rg-prod']);
  });

  it('pages through more attachments than one list page holds (120 > 100)', async () => {
    const outcome = await runCascade(sb(), cascade('crowded'));
    expect(outcome).toMatchObject({ status: 'deleted' });
    expect(attachmentsOf('crowded')).toEqual([]);
    expect(callsOf(sb(), 'DetachPolicy')).toHaveLength(CROWD.length);
    // Two pages (100 + 20): the detaches run after the whole list is read.
    expect(callsOf(sb(), 'ListPolicyAttachments')).toHaveLength(2);
  });

  it('an unattached policy with cascade → deleted, no detach', async () => {
    expect(await run(sb(), cascade('unused'))).toMatchObject({ status: 'deleted' });
    expect(callsOf(sb(), 'DetachPolicy')).toEqual([]);
    expect(callsOf(sb(), 'DeletePolicyVersion')).toEqual([]);
  });

  it('a policy that is gone with cascade → already-compliant, nothing applied', async () => {
    const outcome = await run(sb(), cascade('never-existed'));
    expect(outcome).toMatchObject({ status: 'already-compliant', error: { code: 'EntityNotExist.Policy' } });
    expect(sb().calls.totals().mutating).toBe(0);
  });

  it('an attachment removed by someone else mid-cascade (EntityNotExist.User.Policy) is skipped', async () => {
    afterCall(sb(), { action: 'ListPolicyAttachments' }, () => {
      const account = accountState(sb());
      account.attachments = account.attachments.filter(
        (a) => !(a.policyName === 'everywhere' && a.principalName === user('bob')),
      );
    });
    expect(await runCascade(sb(), cascade('everywhere'))).toMatchObject({ status: 'deleted', attempts: 1 });
    expect(policy('everywhere')).toBeUndefined();
    expect(callsOf(sb(), 'DetachPolicy')).toContainEqual({
      code: 'EntityNotExist.User.Policy',
      applied: false,
    });
  });

  it('a version removed by someone else mid-cascade (EntityNotExist.Policy.Version) is skipped', async () => {
    afterCall(sb(), { action: 'ListPolicyVersions' }, () => {
      const versions = policy('versioned')?.versions;
      versions?.splice(
        versions.findIndex((v) => v.versionId === 'v1'),
        1,
      );
    });
    expect(await run(sb(), cascade('versioned'))).toMatchObject({ status: 'deleted', attempts: 1 });
    expect(callsOf(sb(), 'DeletePolicyVersion')).toEqual([
      { code: 'EntityNotExist.Policy.Version', applied: false },
      { code: 'ok', applied: true },
    ]);
    expect(policy('versioned')).toBeUndefined();
  });

  it('an attachment in a group being created → its detach dead-lettered resource-group-status, the delete attached-elsewhere', async () => {
    const outcome = await runCascade(sb(), cascade('stuck'));
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'attached-elsewhere' });
    expect(outcome.hint).toMatch(/rg-new.*resource-group-status/);
    // The policy stays; only what could be detached was (the rg-prod attachment, once).
    expect(policy('stuck')).toBeDefined();
    expect(attachmentsOf('stuck').map((a) => a.resourceGroupId)).toEqual(['rg-new']);
    expect(callsOf(sb(), 'DeletePolicy')).toEqual([]);
    expect(sb().calls.totals().applied).toBe(1);
  });

  it('a key denied DetachPolicy → dead-lettered permission, the hint names the permissions, nothing applied', async () => {
    const outcome = await run(sb(), cascade('user-held'), {}, KEYS.readOnly);
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'permission',
      error: { code: 'NoPermission' },
    });
    for (const permission of deletePolicy.permissions) expect(outcome.hint).toContain(permission);
    expect(policy('user-held')).toBeDefined();
    expect(attachmentsOf('user-held')).toHaveLength(1);
    expect(sb().calls.totals().applied).toBe(0);
  });
});

describe('alibaba delete-policy: transient failures', () => {
  it('ServiceUnavailable on the delete → retried and deleted', async () => {
    faultFirst(sb(), '5xx=1,actions=DeletePolicy');
    expect(await run(sb(), deletePolicyRequest())).toMatchObject({ status: 'deleted', attempts: 2 });
    expect(policy('unused')).toBeUndefined();
  });

  it('Throttling.User on a cascade detach → that detach is retried, then the policy deleted', async () => {
    faultFirst(sb(), 'throttle=1,actions=DetachPolicy');
    expect(await runCascade(sb(), cascade('everywhere'))).toMatchObject({ status: 'deleted', attempts: 1 });
    expect(attachmentsOf('everywhere')).toEqual([]);
    expect(callsOf(sb(), 'DetachPolicy').filter((c) => c.applied)).toHaveLength(4);
  });

  it('ECONNRESET on the cascade list (drop) → retried and deleted', async () => {
    faultFirst(sb(), 'drop=1,actions=ListPolicyAttachments');
    expect(await runCascade(sb(), cascade('user-held'))).toMatchObject({ status: 'deleted', attempts: 1 });
    expect(callsOf(sb(), 'ListPolicyAttachments')).toHaveLength(2);
  });

  it('ECONNRESET after the delete was applied (drop-after) → already-compliant, one applied delete', async () => {
    faultFirst(sb(), 'drop-after=1,actions=DeletePolicy');
    const outcome = await run(sb(), deletePolicyRequest());
    expect(outcome).toMatchObject({
      status: 'already-compliant',
      attempts: 2,
      error: { code: 'EntityNotExist.Policy' },
    });
    expect(callsOf(sb(), 'DeletePolicy')).toEqual([
      { code: 'fault:drop-after', applied: true },
      { code: 'EntityNotExist.Policy', applied: false },
    ]);
    expect(sb().calls.totals().applied).toBe(1);
  });

  it('drop-after on a cascade detach → that detach is retried (found gone) and the cascade finishes, each detach applied once', async () => {
    faultFirst(sb(), 'drop-after=1,actions=DetachPolicy');
    expect(await runCascade(sb(), cascade('everywhere'))).toMatchObject({ status: 'deleted', attempts: 1 });
    expect(callsOf(sb(), 'DetachPolicy').filter((c) => c.applied)).toHaveLength(4);
    expect(sb().calls.totals().applied).toBe(7);
  });

  it('no answer (hang) on the delete past a short time-out → retried and deleted', async () => {
    faultFirst(sb(), 'hang=1,hang-ms=5000,actions=DeletePolicy');
    const outcome = await run(sb(), deletePolicyRequest(), {
      contextFor: () => contextFor(sb(), undefined, 300),
    });
    expect(outcome).toMatchObject({ status: 'deleted', attempts: 2 });
  });
});

describe('alibaba delete-policy: dry-run and stillPresent', () => {
  it('dry-run of an existing policy → skipped "would delete", zero mutating calls', async () => {
    const outcome = await run(sb(), { ...cascade('everywhere'), dryRun: true });
    expect(outcome).toMatchObject({
      status: 'skipped',
      attempts: 0,
      hint: 'dry-run: would delete the policy',
    });
    expect(sb().calls.totals().mutating).toBe(0);
    expect(policy('everywhere')).toBeDefined();
    expect(attachmentsOf('everywhere')).toHaveLength(4);
  });

  it('dry-run of a policy that is gone → skipped "already compliant"', async () => {
    const outcome = await run(sb(), {
      ...deletePolicyRequest({ policyName: 'never-existed' }),
      dryRun: true,
    });
    expect(outcome).toMatchObject({ status: 'skipped', hint: 'dry-run: already compliant, nothing to do' });
    expect(sb().calls.totals().mutating).toBe(0);
  });

  it('stillPresent: true for an existing custom policy, false once deleted', async () => {
    const context = contextFor(sb());
    const request = deletePolicyRequest();
    expect(await deletePolicy.stillPresent(request, context)).toEqual({ state: 'present' });
    await run(sb(), request);
    expect(await deletePolicy.stillPresent(request, context)).toEqual({ state: 'absent' });
  });

  it('stillPresent: false for a System policy name (delete addresses custom policies only)', async () => {
    const request = deletePolicyRequest({ policyName: 'AdministratorAccess' });
    expect(await deletePolicy.stillPresent(request, contextFor(sb()))).toEqual({ state: 'absent' });
  });

  it('stillPresent: not ok when the read is refused (STS token mismatch)', async () => {
    const read = await deletePolicy.stillPresent(
      deletePolicyRequest(),
      contextFor(sb(), { ...KEYS.sts, securityToken: 'stale-token' }),
    );
    expect(read).toMatchObject({
      state: 'unknown',
      error: { code: 'InvalidSecurityToken.MismatchWithAccessKey', errorClass: 'permission' },
    });
    expect(sb().calls.totals().mutating).toBe(0);
  });
});
