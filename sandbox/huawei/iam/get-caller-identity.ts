import { z } from 'zod';
import { huaweiApi } from '../api';

/** GET /v5/caller-identity → {account_id, principal_urn, principal_id, principal_name}. */
export const getCallerIdentity = huaweiApi({
  action: 'GetCallerIdentity',
  path: 'GET /v5/caller-identity',
  permission: 'sts::getCallerIdentity',
  mutating: false,
  params: z.object({}),
  handle: (_params, { caller }) => ({
    account_id: caller.account,
    principal_id: caller.accessKeyId,
    principal_name: caller.accessKeyId,
    principal_urn: caller.temporary
      ? `sts::${caller.account}:assumed-agency:sandbox/${caller.accessKeyId}`
      : `iam::${caller.account}:user:${caller.accessKeyId}`,
  }),
});
