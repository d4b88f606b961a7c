import { accountOf } from '../accounts';
import { alibabaApi, optional, optionalOneOf, PAGE_FIELDS, rpcParams } from '../api';
import { gateway } from '../errors';
import { pageOf } from '../paging';
import { RESOURCE_GROUP_STATUSES } from '../state';

/** Enough of ListResourceGroups to scan an account: exact filters on id, name and status, paged. */
export const listResourceGroups = alibabaApi({
  action: 'ListResourceGroups',
  permission: 'resourcemanager:ListResourceGroups',
  mutating: false,
  params: rpcParams({
    ResourceGroupId: optional,
    Name: optional,
    Status: optionalOneOf(RESOURCE_GROUP_STATUSES, () => gateway.invalidParameter('Status')),
    ...PAGE_FIELDS,
  }),
  handle(params, context) {
    const { ResourceGroupId: id, Name: name, Status: status } = params;
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
  },
});
