import { directoryOf } from '../accounts';
import { alibabaApi, optionalOneOf, PAGE_FIELDS, rpcParams } from '../api';
import { gateway } from '../errors';
import { pageOf } from '../paging';
import { effectScope } from './effect-scope';

/**
 * The directory's control policies, System and Custom, paged; `PolicyType` filters (invalid values are
 * refused like every other enum). AttachmentCount is a string, as the SDK's model types it.
 */
export const listControlPolicies = alibabaApi({
  action: 'ListControlPolicies',
  permission: 'resourcemanager:ListControlPolicies',
  mutating: false,
  params: rpcParams({
    PolicyType: optionalOneOf(['System', 'Custom'] as const, () => gateway.invalidParameter('PolicyType')),
    ...PAGE_FIELDS,
  }),
  handle(params, context) {
    const directory = directoryOf(context);
    const matching = directory.controlPolicies.filter(
      (p) => params.PolicyType === undefined || p.type === params.PolicyType,
    );
    const { items, ...page } = pageOf(matching, params);
    return {
      ...page,
      ControlPolicies: {
        ControlPolicy: items.map((p) => ({
          AttachmentCount: String(
            directory.controlPolicyAttachments.filter((a) => a.policyId === p.id).length,
          ),
          CreateDate: p.createDate,
          Description: p.description,
          EffectScope: effectScope(p),
          PolicyId: p.id,
          PolicyName: p.name,
          PolicyType: p.type,
          UpdateDate: p.createDate,
        })),
      },
    };
  },
});
