import { type FaultConfig, NO_FAULTS, parseFaultSpec } from '../../../sandbox/faults';
import type { Sandbox } from '../../../sandbox/server';
import { emptyWorld, type WorldInput } from '../../../sandbox/world';
import { type HuaweiDetachAgencyPolicy, parseRequest } from '../../../shared/requests';

/** The default `sandbox` key's domain in emptyWorld(). */
export const DOMAIN = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';

export const KEYS = {
  temporary: {
    accessKeyId: 'STS-temp-key',
    accessKeySecret: 'temp-secret',
    securityToken: 'temp-security-token',
  },
  deny: { accessKeyId: 'readonly-key', accessKeySecret: 'readonly-secret' },
  noList: { accessKeyId: 'no-list-key', accessKeySecret: 'no-list-secret' },
} as const;

/** ag-paging holds more policies than one 200-item page. */
export const PAGED_POLICIES = 205;
export const pagedId = (i: number) => `p-page-${String(i).padStart(4, '0')}`;

const policy = (policyId: string, name: string, type: 'custom' | 'system' = 'custom') => ({
  policyId,
  name,
  type,
  urn: type === 'system' ? `iam::system:policy/${name}` : `iam::${DOMAIN}:policy/${name}`,
});

export function huaweiWorld(): WorldInput {
  const paged = Array.from({ length: PAGED_POLICIES }, (_, i) => pagedId(i));
  return {
    ...emptyWorld(),
    keys: [
      {
        cloud: 'huawei',
        accessKeyId: KEYS.temporary.accessKeyId,
        secret: KEYS.temporary.accessKeySecret,
        token: KEYS.temporary.securityToken,
      },
      {
        cloud: 'huawei',
        accessKeyId: KEYS.deny.accessKeyId,
        secret: KEYS.deny.accessKeySecret,
        deny: ['DetachAgencyPolicyV5'],
      },
      {
        cloud: 'huawei',
        accessKeyId: KEYS.noList.accessKeyId,
        secret: KEYS.noList.accessKeySecret,
        deny: ['ListAttachedAgencyPoliciesV5'],
      },
    ],
    huawei: {
      defaultAccount: DOMAIN,
      accounts: {
        [DOMAIN]: {
          agencies: [
            { agencyId: 'ag-ci', name: 'ci-deployer' },
            { agencyId: 'ag-trust', name: 'external-auditor', type: 'trust_agency' },
            { agencyId: 'ag-busy', name: 'migration-tool', status: 'busy' },
            { agencyId: 'ag-paging', name: 'many-policies' },
          ],
          policies: [
            policy('p-full', 'FullAccess', 'system'),
            policy('p-read', 'ReadOnlyAccess', 'system'),
            policy('p-obs', 'OBSAdministrator'),
            policy('p-ecs', 'ECSOperator'),
            policy('p-vpc', 'VPCOperator'),
            policy('p-dns', 'DNSOperator'),
            ...paged.map((id) => policy(id, `Paged-${id}`)),
          ],
          attachments: [
            { policyId: 'p-full', agencyId: 'ag-ci' },
            { policyId: 'p-ecs', agencyId: 'ag-ci' },
            { policyId: 'p-vpc', agencyId: 'ag-ci' },
            { policyId: 'p-dns', agencyId: 'ag-ci' },
            { policyId: 'p-read', agencyId: 'ag-trust' },
            { policyId: 'p-full', agencyId: 'ag-busy' },
            ...paged.map((id) => ({ policyId: id, agencyId: 'ag-paging' })),
          ],
          quotas: { attachedPoliciesPerAgency: 250 },
        },
      },
    },
  };
}

/** A validated huawei/detach-agency-policy request. */
export function huaweiRequest(
  fields: Partial<Omit<HuaweiDetachAgencyPolicy, 'provider' | 'operation'>>,
): HuaweiDetachAgencyPolicy {
  const parsed = parseRequest({ provider: 'huawei', operation: 'detach-agency-policy', ...fields });
  if (!parsed.ok) throw new Error(`bad test request: ${parsed.field} ${parsed.rule}`);
  return parsed.request as HuaweiDetachAgencyPolicy;
}

/** The policies attached to an agency in the sandbox's own state (not through the API). */
export function attachedTo(sandbox: Sandbox, agencyId: string): string[] {
  const account = sandbox.world.huawei.accounts[DOMAIN];
  return (account?.attachments ?? []).filter((a) => a.agencyId === agencyId).map((a) => a.policyId);
}

/**
 * Injects `spec` on exact calls rather than random ones: armed once `after` calls (of `action`, or of
 * any action) have gone by, cleared again once `times` calls were hit. A failure that clears mid-retry.
 * Listeners are per sandbox: call `sandbox.removeAllListeners('call')` between tests.
 */
export function faultCalls(
  sandbox: Sandbox,
  spec: string,
  { times = 1, after = 0, action }: { times?: number; after?: number; action?: string } = {},
): void {
  const config: FaultConfig = parseFaultSpec(spec);
  let seen = 0;
  let hits = 0;
  const onCall = (call: { action: string; fault?: string }) => {
    if (call.fault !== undefined) {
      hits += 1;
      if (hits >= times) {
        sandbox.faults.set(NO_FAULTS);
        sandbox.off('call', onCall);
      }
      return;
    }
    if (action !== undefined && call.action !== action) return;
    seen += 1;
    if (seen === after) sandbox.faults.set(config);
  };
  sandbox.on('call', onCall);
  if (after === 0) sandbox.faults.set(config);
}
