import { emptyWorld, type WorldInput } from '../../../sandbox/world';

export const ACCOUNT = '1000000000000001';
export const REDIS_NOT_REACHABLE =
  'Redis is not reachable on 127.0.0.1:6379: start it (redis-server) or run .ci/run';

/** The detach every process delivers: valid exactly once in `oneAttachmentWorld`. */
export const REQUEST = {
  provider: 'alibaba',
  operation: 'detach-policy',
  resourceGroupId: 'rg-prod',
  policyType: 'System',
  policyName: 'AdministratorAccess',
  principalType: 'IMSUser',
  principalName: 'mallory@corp.onaliyun.com',
};

/** One resource group with one attachment. */
export function oneAttachmentWorld(): WorldInput {
  const { provider: _p, operation: _o, ...attachment } = REQUEST;
  return {
    ...emptyWorld(),
    alibaba: {
      defaultAccount: ACCOUNT,
      accounts: {
        [ACCOUNT]: {
          resourceGroups: [{ id: 'rg-prod', name: 'prod' }],
          policies: [
            { name: 'AdministratorAccess', type: 'System', versions: [{ versionId: 'v1', isDefault: true }] },
          ],
          attachments: [attachment as never],
        },
      },
    },
  };
}
