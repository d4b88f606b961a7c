import { findPolicy } from '../accounts';
import { alibabaApi, rpcParams } from '../api';
import { rm } from './errors';
import { checkedPolicyName, checkedVersionId } from './validate';

/** DeletePolicyVersion: custom policies only (no PolicyType); the default version cannot go. */
export const deletePolicyVersion = alibabaApi({
  action: 'DeletePolicyVersion',
  // docs/sources.md, "Alibaba permissions" (the RM page discloses none; RAM's API of the same name).
  permission: 'ram:DeletePolicyVersion',
  mutating: true,
  params: rpcParams({ PolicyName: checkedPolicyName(128), VersionId: checkedVersionId }),
  handle(params, context) {
    const policy = findPolicy(context, params.PolicyName, 'Custom');
    const version = policy.versions.find((v) => v.versionId === params.VersionId);
    if (!version) throw rm.versionNotFound();
    if (version.isDefault) throw rm.deleteDefaultVersion();
    policy.versions.splice(policy.versions.indexOf(version), 1);
    return {};
  },
});
