import { emptyWorld, type WorldInput } from '../../../../sandbox/world';

/** The account of the default `sandbox` key, and the sandbox's Alibaba test world built around it. */
export const ACCOUNT = '1000000000000001';
export const OTHER_ACCOUNT = '1000000000000002';

export const STS_KEY = { accessKeyId: 'STS.tester', secret: 'sts-secret', token: 'sts-token-1' };
export const READONLY_KEY = { accessKeyId: 'readonly', secret: 'readonly-secret' };
export const MEMBER_KEY = { accessKeyId: 'member', secret: 'member-secret' };

const version = (versionId: string, isDefault: boolean) => ({ versionId, isDefault });
const user = (name: string) => `${name}@corp.onaliyun.com`;

/** Fifteen users on the prod group: enough attachments to page through. */
export const PAGED_USERS = Array.from({ length: 15 }, (_, i) => user(`reader${String(i).padStart(2, '0')}`));

export function alibabaWorld(): WorldInput {
  const base = emptyWorld();
  return {
    ...base,
    keys: [
      { cloud: 'alibaba', ...STS_KEY },
      { cloud: 'alibaba', ...READONLY_KEY, deny: ['DetachPolicy', 'DeletePolicy'] },
      { cloud: 'alibaba', ...MEMBER_KEY, account: OTHER_ACCOUNT },
    ],
    alibaba: {
      defaultAccount: ACCOUNT,
      accounts: {
        [ACCOUNT]: {
          resourceGroups: [
            { id: 'rg-prod', name: 'prod', status: 'OK' },
            { id: 'rg-dev', name: 'dev', status: 'OK' },
            { id: 'rg-new', name: 'new', status: 'Creating' },
            { id: 'rg-old', name: 'old', status: 'Deleting' },
            { id: 'rg-gone', name: 'gone', status: 'PendingDelete' },
          ],
          policies: [
            { name: 'AdministratorAccess', type: 'System', versions: [version('v1', true)] },
            { name: 'ReadOnlyAccess', type: 'System', versions: [version('v1', true)] },
            {
              name: 'OSS-Administrator',
              type: 'Custom',
              description: 'OSS admin',
              versions: [version('v1', true)],
            },
            { name: 'unused', type: 'Custom', versions: [version('v1', true)] },
            { name: 'versioned', type: 'Custom', versions: [version('v1', false), version('v2', true)] },
            { name: 'user-held', type: 'Custom', versions: [version('v1', true)] },
            { name: 'group-held', type: 'Custom', versions: [version('v1', true)] },
            { name: 'role-held', type: 'Custom', versions: [version('v1', true)] },
          ],
          attachments: [
            ...PAGED_USERS.map((principalName) => ({
              resourceGroupId: 'rg-prod',
              policyType: 'System' as const,
              policyName: 'ReadOnlyAccess',
              principalType: 'IMSUser' as const,
              principalName,
            })),
            attach('rg-prod', 'System', 'AdministratorAccess', 'IMSUser', user('mallory')),
            attach(ACCOUNT, 'Custom', 'OSS-Administrator', 'IMSGroup', 'storage-team'),
            attach('rg-old', 'System', 'AdministratorAccess', 'IMSUser', user('old')),
            attach('rg-dev', 'Custom', 'user-held', 'IMSUser', user('bob')),
            attach('rg-dev', 'Custom', 'group-held', 'IMSGroup', 'devs'),
            attach('rg-dev', 'Custom', 'role-held', 'ServiceRole', 'ci-deployer'),
          ],
          resourceDirectory: {
            id: 'rd-test',
            rootFolderId: 'r-root',
            folders: [
              { id: 'r-root', name: 'Root', parentId: null },
              { id: 'fd-prod', name: 'Production', parentId: 'r-root' },
              { id: 'fd-lab', name: 'Lab', parentId: 'r-root' },
            ],
            members: [{ accountId: '2000000000000001', displayName: 'shop', folderId: 'fd-prod' }],
            controlPolicies: [
              { id: 'cp-FullAliyunAccess', name: 'FullAliyunAccess', type: 'System' },
              { id: 'cp-deny-regions', name: 'DenyRegions', type: 'Custom', description: 'baseline' },
              { id: 'cp-allow-all', name: 'AllowAll', type: 'Custom' },
            ],
            controlPolicyAttachments: [
              { policyId: 'cp-FullAliyunAccess', targetId: 'r-root' },
              { policyId: 'cp-FullAliyunAccess', targetId: 'fd-prod' },
              { policyId: 'cp-deny-regions', targetId: 'fd-prod' },
              { policyId: 'cp-allow-all', targetId: 'fd-lab' },
              { policyId: 'cp-FullAliyunAccess', targetId: '2000000000000001' },
            ],
          },
        },
        // A member account: no resource directory of its own.
        [OTHER_ACCOUNT]: {},
      },
    },
  };
}

function attach(
  resourceGroupId: string,
  policyType: 'System' | 'Custom',
  policyName: string,
  principalType: 'IMSUser' | 'IMSGroup' | 'ServiceRole',
  principalName: string,
) {
  return { resourceGroupId, policyType, policyName, principalType, principalName };
}
