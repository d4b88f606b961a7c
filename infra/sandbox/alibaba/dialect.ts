import type { Dialect, RawRequest } from '../types';
import { headerValue } from '../wire';
import { authenticate } from './auth';
import { alibabaCommonErrors, gateway } from './errors';
import { callerIdentityOperations } from './operations/caller-identity';
import { controlPolicyOperations } from './operations/control-policies';
import { policyOperations } from './operations/policies';
import { policyAttachmentOperations } from './operations/policy-attachments';
import { resourceGroupOperations } from './operations/resource-groups';
import { rpcParamsOf } from './params';
import { renderError, renderSuccess } from './render';

/**
 * Alibaba Cloud Resource Manager (2020-03-31) as @alicloud/resourcemanager20200331 speaks it: RPC calls
 * named by the `x-acs-action` header, parameters in the query (or a form body), ACS3-HMAC-SHA256 signatures.
 */
export const alibabaDialect: Dialect = {
  cloud: 'alibaba',
  recognizes: (request: RawRequest) => headerValue(request.headers, 'x-acs-action') !== undefined,
  actionOf: (request: RawRequest) => headerValue(request.headers, 'x-acs-action') ?? '',
  authenticate,
  paramsOf: (request: RawRequest) => rpcParamsOf(request).toObject(),
  operations: {
    ...policyAttachmentOperations,
    ...policyOperations,
    ...controlPolicyOperations,
    ...resourceGroupOperations,
    ...callerIdentityOperations,
  },
  errors: alibabaCommonErrors,
  permissionDenied: (action, caller) => gateway.noPermission(action, caller.accessKeyId),
  renderSuccess,
  renderError,
};
