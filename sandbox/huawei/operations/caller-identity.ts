import type { Operation } from '../../types';

/** GET /v5/caller-identity → {account_id, principal_urn, principal_id, principal_name}. */
export const getCallerIdentity: Operation = {
  mutating: false,
  handle: (_request, { caller }) => ({
    account_id: caller.account,
    principal_id: caller.accessKeyId,
    principal_name: caller.accessKeyId,
    principal_urn: caller.temporary
      ? `sts::${caller.account}:assumed-agency:sandbox/${caller.accessKeyId}`
      : `iam::${caller.account}:user:${caller.accessKeyId}`,
  }),
};
