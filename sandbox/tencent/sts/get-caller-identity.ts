import { z } from 'zod';
import { tencentApi } from '../api';

/** STS version of the one STS call the sandbox serves (GetCallerIdentity, 2018-08-13). */
export const STS_API_VERSION = '2018-08-13';

/** STS GetCallerIdentity: AccountId is the root account's UIN (the caller key's account). */
export const getCallerIdentity = tencentApi({
  action: 'GetCallerIdentity',
  permission: 'sts:GetCallerIdentity',
  mutating: false,
  // No parameters of its own; whatever else is sent is ignored, as before the gateway checked names.
  params: z.object({}),
  handle: (_params, { caller }) => ({
    AccountId: caller.account,
    UserId: caller.temporary ? `sandbox-role:${caller.accessKeyId}` : caller.account,
    PrincipalId: caller.account,
    Type: caller.temporary ? 'AssumedRole' : 'CAMUser',
    Arn: caller.temporary
      ? `qcs::sts:${caller.account}:assumed-role/sandbox-role`
      : `qcs::cam:${caller.account}:uin/${caller.account}`,
  }),
});
