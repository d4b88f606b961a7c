import { emptyWorld, type WorldInput } from '../../../../sandbox/world';

/** The default `sandbox` key's domain in emptyWorld(). */
export const DOMAIN = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const OTHER_DOMAIN = 'f9e8d7c6b5a4938271605f4e3d2c1b0a';

export const KEYS = {
  temporary: { accessKeyId: 'STS-temp-key', secret: 'temp-secret', token: 'temp-security-token' },
  readonly: { accessKeyId: 'readonly-key', secret: 'readonly-secret' },
  other: { accessKeyId: 'other-domain-key', secret: 'other-secret' },
} as const;

/** Paging fixture: ag-ci holds five custom policies besides FullAccess. */
export const PAGED_POLICIES = ['p-01', 'p-02', 'p-03', 'p-04', 'p-05'] as const;

const policy = (policyId: string, name: string, type: 'custom' | 'system' = 'custom') => ({
  policyId,
  name,
  type,
  urn: type === 'system' ? `iam::system:policy/${name}` : `iam::${DOMAIN}:policy/${name}`,
});

export function huaweiWorld(): WorldInput {
  const keys: WorldInput['keys'] = [
    { cloud: 'huawei', ...KEYS.temporary },
    { cloud: 'huawei', ...KEYS.readonly, deny: ['DetachAgencyPolicyV5', 'AttachAgencyPolicyV5'] },
    { cloud: 'huawei', ...KEYS.other, account: OTHER_DOMAIN },
  ];
  const accounts: WorldInput['huawei']['accounts'] = {
    [DOMAIN]: {
      agencies: [
        { agencyId: 'ag-ci', name: 'ci-deployer', type: 'agency', status: 'ok' },
        { agencyId: 'ag-trust', name: 'external-auditor', type: 'trust_agency', status: 'ok' },
        { agencyId: 'ag-busy', name: 'migration-tool', type: 'agency', status: 'busy' },
        { agencyId: 'ag-empty', name: 'unused', type: 'agency', status: 'ok' },
      ],
      policies: [
        policy('p-full', 'FullAccess', 'system'),
        policy('p-read', 'ReadOnlyAccess', 'system'),
        { ...policy('p-obs', 'OBSAdministrator'), path: 'storage/' },
        ...PAGED_POLICIES.map((id) => ({ ...policy(id, `Custom-${id}`), path: 'team/' })),
      ],
      attachments: [
        { policyId: 'p-full', agencyId: 'ag-ci', attachedAt: '2025-02-01T00:00:00.000Z' },
        { policyId: 'p-read', agencyId: 'ag-trust', attachedAt: '2025-02-01T00:00:00.000Z' },
        { policyId: 'p-full', agencyId: 'ag-busy', attachedAt: '2025-02-01T00:00:00.000Z' },
        ...PAGED_POLICIES.map((id) => ({
          policyId: id,
          agencyId: 'ag-ci',
          attachedAt: '2025-03-01T00:00:00.000Z',
        })),
      ],
      quotas: { attachedPoliciesPerAgency: 7 },
    },
    [OTHER_DOMAIN]: {
      agencies: [{ agencyId: 'ag-other', name: 'elsewhere', type: 'agency', status: 'ok' }],
      policies: [policy('p-full', 'FullAccess', 'system')],
      attachments: [{ policyId: 'p-full', agencyId: 'ag-other' }],
    },
  };
  return { ...emptyWorld(), keys, huawei: { defaultAccount: DOMAIN, accounts } };
}
