import type { Operation } from '../../types';
import { accountOf } from '../accounts';
import { gateway } from '../errors';
import { pageOf } from '../paging';
import { RESOURCE_GROUP_STATUSES } from '../state';
import { rpc } from './define';

/** Enough of ListResourceGroups to scan an account: exact filters on id, name and status, paged. */
const listResourceGroups = rpc(false, (params, context) => {
  const id = params.optional('ResourceGroupId');
  const name = params.optional('Name');
  const status = params.optionalOneOf('Status', RESOURCE_GROUP_STATUSES, () =>
    gateway.invalidParameter('Status'),
  );
  const groups = accountOf(context).resourceGroups.filter(
    (g) =>
      (id === undefined || g.id === id) &&
      (name === undefined || g.name === name) &&
      (status === undefined || g.status === status),
  );
  const { items, ...page } = pageOf(groups, params);
  return {
    ...page,
    ResourceGroups: {
      ResourceGroup: items.map((g) => ({
        AccountId: context.caller.account,
        CreateDate: g.createDate,
        DisplayName: g.displayName ?? g.name,
        Id: g.id,
        Name: g.name,
        Status: g.status,
      })),
    },
  };
});

export const resourceGroupOperations: Record<string, Operation> = {
  ListResourceGroups: listResourceGroups,
};
