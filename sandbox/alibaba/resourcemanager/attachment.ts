import type { ApiContext } from '../../types';
import { findPolicy, resolveScope } from '../accounts';
import { required, rpcParams } from '../api';
import type { AlibabaAttachment, AlibabaState } from '../state';
import { policyType, principalType } from './validate';

/** The five parameters that identify one attachment, checked in the order the API page's table lists them. */
export const attachmentParams = rpcParams({
  PolicyType: policyType,
  PolicyName: required,
  PrincipalType: principalType,
  PrincipalName: required,
  ResourceGroupId: required,
});

type AttachmentParams = ReturnType<typeof attachmentParams.parse>;
export type AttachmentKey = Omit<AlibabaAttachment, 'attachDate'>;

/** The attachment the parameters name, once its policy and resource group (or account scope) exist. */
export function attachmentKey(params: AttachmentParams, context: ApiContext<AlibabaState>): AttachmentKey {
  findPolicy(context, params.PolicyName, params.PolicyType);
  resolveScope(context, params.ResourceGroupId, 'change');
  return {
    policyType: params.PolicyType,
    policyName: params.PolicyName,
    principalType: params.PrincipalType,
    principalName: params.PrincipalName,
    resourceGroupId: params.ResourceGroupId,
  };
}

export const sameAttachment = (a: AttachmentKey) => (b: AlibabaAttachment) =>
  a.resourceGroupId === b.resourceGroupId &&
  a.policyType === b.policyType &&
  a.policyName === b.policyName &&
  a.principalType === b.principalType &&
  a.principalName === b.principalName;
