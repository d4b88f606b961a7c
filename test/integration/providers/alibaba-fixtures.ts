import type { CallRecord } from '../../../sandbox/calls';
import { NO_FAULTS, parseFaultSpec } from '../../../sandbox/faults';
import type { Sandbox } from '../../../sandbox/server';
import { emptyWorld, type WorldInput } from '../../../sandbox/world';
import type { Clock } from '../../../shared/engine/clock';
import { type ExecuteOptions, executeRequest } from '../../../shared/engine/execute';
import type { Outcome } from '../../../shared/outcomes';
import type { Credentials, ProviderContext } from '../../../shared/providers/types';
import {
  type AlibabaDeletePolicy,
  type AlibabaDetachControlPolicy,
  type AlibabaDetachPolicy,
  parseRequest,
  type RemediationRequest,
} from '../../../shared/requests';
import { SANDBOX_CREDENTIALS, sandboxOptions } from '../../helpers/engine';

/** The account of the default `sandbox` key, and a member account with no resource directory. */
export const ACCOUNT = '1000000000000001';
export const MEMBER_ACCOUNT = '1000000000000002';
export const MEMBER_ID = '2000000000000001';

export const KEYS = {
  sts: { accessKeyId: 'STS.remediator', accessKeySecret: 'sts-secret', securityToken: 'sts-token-1' },
  /** Refused every remediation call (reads still work). */
  readOnly: { accessKeyId: 'readonly', accessKeySecret: 'readonly-secret' },
  /** May detach but not attach: the `replace-with` strategy cannot attach its fallback. */
  noAttach: { accessKeyId: 'no-attach', accessKeySecret: 'no-attach-secret' },
  /** A key of an account that holds no resource directory. */
  member: { accessKeyId: 'member', accessKeySecret: 'member-secret' },
} satisfies Record<string, Credentials>;

export const user = (name: string) => `${name}@corp.onaliyun.com`;
/** Enough attachments of one custom policy to need more than one page of 100. */
export const CROWD = Array.from({ length: 120 }, (_, i) => user(`crowd${String(i).padStart(3, '0')}`));

const version = (versionId: string, isDefault: boolean) => ({ versionId, isDefault });

type PrincipalType = 'IMSUser' | 'IMSGroup' | 'ServiceRole';
const attach = (
  resourceGroupId: string,
  policyType: 'System' | 'Custom',
  policyName: string,
  principalType: PrincipalType,
  principalName: string,
) => ({ resourceGroupId, policyType, policyName, principalType, principalName });

export function alibabaProvidersWorld(): WorldInput {
  const base = emptyWorld();
  const secretOf = (k: Credentials) => ({ accessKeyId: k.accessKeyId, secret: k.accessKeySecret });
  return {
    ...base,
    keys: [
      { cloud: 'alibaba', ...secretOf(KEYS.sts), token: KEYS.sts.securityToken },
      {
        cloud: 'alibaba',
        ...secretOf(KEYS.readOnly),
        deny: ['DetachPolicy', 'DetachControlPolicy', 'DeletePolicy', 'DeletePolicyVersion'],
      },
      { cloud: 'alibaba', ...secretOf(KEYS.noAttach), deny: ['AttachControlPolicy'] },
      { cloud: 'alibaba', ...secretOf(KEYS.member), account: MEMBER_ACCOUNT },
    ],
    alibaba: {
      defaultAccount: ACCOUNT,
      accounts: {
        [ACCOUNT]: {
          resourceGroups: [
            { id: 'rg-prod', name: 'prod', status: 'OK' },
            { id: 'rg-new', name: 'new', status: 'Creating' },
            { id: 'rg-old', name: 'old', status: 'Deleting' },
          ],
          policies: [
            { name: 'AdministratorAccess', type: 'System', versions: [version('v1', true)] },
            { name: 'ReadOnlyAccess', type: 'System', versions: [version('v1', true)] },
            { name: 'unused', type: 'Custom', versions: [version('v1', true)] },
            {
              name: 'versioned',
              type: 'Custom',
              versions: [version('v1', false), version('v2', false), version('v3', true)],
            },
            { name: 'user-held', type: 'Custom', versions: [version('v1', true)] },
            { name: 'group-held', type: 'Custom', versions: [version('v1', true)] },
            { name: 'role-held', type: 'Custom', versions: [version('v1', true)] },
            {
              name: 'everywhere',
              type: 'Custom',
              versions: [version('v1', false), version('v2', true), version('v3', false)],
            },
            { name: 'crowded', type: 'Custom', versions: [version('v1', true)] },
            { name: 'stuck', type: 'Custom', versions: [version('v1', true)] },
          ],
          attachments: [
            attach('rg-prod', 'System', 'AdministratorAccess', 'IMSUser', user('mallory')),
            attach('rg-prod', 'System', 'AdministratorAccess', 'IMSUser', user('trent')),
            attach('rg-prod', 'System', 'AdministratorAccess', 'IMSGroup', 'admins'),
            attach('rg-prod', 'System', 'AdministratorAccess', 'ServiceRole', 'ci-deployer'),
            attach(ACCOUNT, 'System', 'AdministratorAccess', 'IMSUser', user('root-ish')),
            attach('rg-new', 'System', 'AdministratorAccess', 'IMSUser', user('newbie')),
            attach('rg-old', 'System', 'AdministratorAccess', 'IMSUser', user('leaver')),
            attach('rg-prod', 'System', 'ReadOnlyAccess', 'IMSUser', user('mallory')),
            attach('rg-prod', 'Custom', 'user-held', 'IMSUser', user('bob')),
            attach('rg-prod', 'Custom', 'group-held', 'IMSGroup', 'devs'),
            attach('rg-prod', 'Custom', 'role-held', 'ServiceRole', 'ci-deployer'),
            attach('rg-prod', 'Custom', 'everywhere', 'IMSUser', user('bob')),
            attach('rg-prod', 'Custom', 'everywhere', 'IMSGroup', 'devs'),
            attach('rg-prod', 'Custom', 'everywhere', 'ServiceRole', 'ci-deployer'),
            attach(ACCOUNT, 'Custom', 'everywhere', 'IMSUser', user('alice')),
            ...CROWD.map((name) => attach('rg-prod', 'Custom', 'crowded', 'IMSUser', name)),
            attach('rg-prod', 'Custom', 'stuck', 'IMSUser', user('bob')),
            attach('rg-new', 'Custom', 'stuck', 'IMSUser', user('newbie')),
          ],
          resourceDirectory: {
            id: 'rd-test',
            rootFolderId: 'r-root',
            folders: [
              { id: 'r-root', name: 'Root', parentId: null },
              { id: 'fd-prod', name: 'Production', parentId: 'r-root' },
              { id: 'fd-lab', name: 'Lab', parentId: 'r-root' },
            ],
            members: [{ accountId: MEMBER_ID, displayName: 'shop', folderId: 'fd-prod' }],
            controlPolicies: [
              { id: 'cp-FullAliyunAccess', name: 'FullAliyunAccess', type: 'System' },
              { id: 'cp-denyregions', name: 'DenyRegions', type: 'Custom' },
              { id: 'cp-allowall', name: 'AllowAll', type: 'Custom' },
              { id: 'cp-baseline', name: 'Baseline', type: 'Custom' },
            ],
            controlPolicyAttachments: [
              { policyId: 'cp-FullAliyunAccess', targetId: 'r-root' },
              { policyId: 'cp-FullAliyunAccess', targetId: 'fd-prod' },
              { policyId: 'cp-denyregions', targetId: 'fd-prod' },
              { policyId: 'cp-allowall', targetId: 'fd-lab' },
              { policyId: 'cp-FullAliyunAccess', targetId: MEMBER_ID },
              { policyId: 'cp-denyregions', targetId: MEMBER_ID },
            ],
          },
        },
        [MEMBER_ACCOUNT]: {},
      },
    },
  };
}

function parsed<R extends RemediationRequest>(input: Record<string, unknown>): R {
  const result = parseRequest(input);
  if (!result.ok) throw new Error(`fixture request is invalid: ${result.field} ${result.rule}`);
  return result.request as R;
}

export const detachPolicyRequest = (fields: Partial<AlibabaDetachPolicy> = {}): AlibabaDetachPolicy =>
  parsed({
    provider: 'alibaba',
    operation: 'detach-policy',
    resourceGroupId: 'rg-prod',
    policyType: 'System',
    policyName: 'AdministratorAccess',
    principalType: 'IMSUser',
    principalName: user('mallory'),
    ...fields,
  });

export const detachControlPolicyRequest = (
  fields: Partial<AlibabaDetachControlPolicy> = {},
): AlibabaDetachControlPolicy =>
  parsed({
    provider: 'alibaba',
    operation: 'detach-control-policy',
    policyId: 'cp-denyregions',
    targetId: 'fd-prod',
    ...fields,
  });

export const deletePolicyRequest = (fields: Partial<AlibabaDeletePolicy> = {}): AlibabaDeletePolicy =>
  parsed({ provider: 'alibaba', operation: 'delete-policy', policyName: 'unused', ...fields });

/** Full-jitter waits at their ceiling, so retry timing in a test does not depend on chance. */
export const steadyClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => 0.999,
};

/** Runs one request through the engine against the sandbox, with the fast test retry policies. */
export function run(
  sandbox: Sandbox,
  request: RemediationRequest,
  overrides: Partial<ExecuteOptions> = {},
  credentials: Credentials = SANDBOX_CREDENTIALS,
): Promise<Outcome> {
  return executeRequest(request, sandboxOptions(sandbox.url, overrides, credentials));
}

export function contextFor(
  sandbox: Sandbox,
  credentials: Credentials = SANDBOX_CREDENTIALS,
  timeoutMs = 2_000,
): ProviderContext {
  return { credentials, endpoint: sandbox.url, timeoutMs };
}

/** Injects `spec` until `times` calls have been hit by a fault, then turns faults off. */
export function faultFirst(sandbox: Sandbox, spec: string, times = 1): void {
  let left = times;
  sandbox.faults.set(parseFaultSpec(spec));
  const listener = (call: CallRecord) => {
    if (!call.fault) return;
    left -= 1;
    if (left > 0) return;
    sandbox.faults.set(NO_FAULTS);
    sandbox.off('call', listener);
  };
  sandbox.on('call', listener);
}

/**
 * Runs `effect` once, synchronously after the first call matching `action` (and `applied`, when given) is
 * handled and before its answer leaves: a concurrent change that lands between two of our calls.
 */
export function afterCall(
  sandbox: Sandbox,
  match: { action: string; applied?: boolean; code?: string },
  effect: (call: CallRecord) => void,
): void {
  const listener = (call: CallRecord) => {
    if (call.action !== match.action) return;
    if (match.applied !== undefined && call.applied !== match.applied) return;
    if (match.code !== undefined && call.code !== match.code) return;
    sandbox.off('call', listener);
    effect(call);
  };
  sandbox.on('call', listener);
}

/** Every call of one action, in order, as (code or 'ok', applied). */
export function callsOf(sandbox: Sandbox, action: string): Array<{ code: string; applied: boolean }> {
  return sandbox.calls
    .list({ action })
    .map((c) => ({ code: c.code ?? (c.fault ? `fault:${c.fault}` : 'ok'), applied: c.applied }));
}

export function accountState(sandbox: Sandbox, account = ACCOUNT) {
  const state = sandbox.world.alibaba.accounts[account];
  if (!state) throw new Error(`no account ${account} in the sandbox`);
  return state;
}

export function directoryState(sandbox: Sandbox) {
  const directory = accountState(sandbox).resourceDirectory;
  if (!directory) throw new Error('no resource directory in the sandbox');
  return directory;
}

/** Control policy ids attached to one target, as the sandbox holds them. */
export function policiesOn(sandbox: Sandbox, targetId: string): string[] {
  return directoryState(sandbox)
    .controlPolicyAttachments.filter((a) => a.targetId === targetId)
    .map((a) => a.policyId)
    .sort();
}

export function isAttached(sandbox: Sandbox, request: AlibabaDetachPolicy): boolean {
  return accountState(sandbox).attachments.some(
    (a) =>
      a.resourceGroupId === request.resourceGroupId &&
      a.policyType === request.policyType &&
      a.policyName === request.policyName &&
      a.principalType === request.principalType &&
      a.principalName === request.principalName,
  );
}
