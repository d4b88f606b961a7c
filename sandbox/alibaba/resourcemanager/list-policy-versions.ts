import { findPolicy } from '../accounts';
import { alibabaApi, rpcParams } from '../api';
import { checkedPolicyName, policyType } from './validate';

/** ListPolicyVersions: every version of one policy, System or Custom. */
export const listPolicyVersions = alibabaApi({
  action: 'ListPolicyVersions',
  // docs/sources.md, "Alibaba permissions" (the RM page discloses none; RAM's API of the same name).
  permission: 'ram:ListPolicyVersions',
  mutating: false,
  params: rpcParams({ PolicyType: policyType, PolicyName: checkedPolicyName(64) }),
  handle(params, context) {
    const policy = findPolicy(context, params.PolicyName, params.PolicyType);
    return {
      PolicyVersions: {
        PolicyVersion: policy.versions.map((v) => ({
          CreateDate: v.createDate,
          IsDefaultVersion: v.isDefault,
          VersionId: v.versionId,
        })),
      },
    };
  },
});
