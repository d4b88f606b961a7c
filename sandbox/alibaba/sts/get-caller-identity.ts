import { z } from 'zod';
import { alibabaApi } from '../api';

/** STS version of the one STS call the sandbox serves (GetCallerIdentity, 2015-04-01). */
export const STS_API_VERSION = '2015-04-01';

/**
 * STS GetCallerIdentity: who signed the request. Fields as documented (AccountId, UserId, Arn,
 * IdentityType, PrincipalId); a temporary key answers as an assumed role.
 */
export const getCallerIdentity = alibabaApi({
  action: 'GetCallerIdentity',
  // docs/sources.md, "Alibaba STS GetCallerIdentity": any key may call it; the name is only for a denial.
  permission: 'sts:GetCallerIdentity',
  mutating: false,
  params: z.object({}),
  handle: (_params, { caller }) =>
    caller.temporary
      ? {
          IdentityType: 'AssumedRoleUser',
          AccountId: caller.account,
          PrincipalId: `${caller.account}:${caller.accessKeyId}`,
          Arn: `acs:ram::${caller.account}:assumed-role/sandbox/${caller.accessKeyId}`,
          RoleId: `3${caller.account}`,
        }
      : {
          IdentityType: 'RAMUser',
          AccountId: caller.account,
          PrincipalId: `2${caller.account}`,
          UserId: `2${caller.account}`,
          Arn: `acs:ram::${caller.account}:user/${caller.accessKeyId}`,
        },
});
