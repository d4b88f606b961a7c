import type { Dialect, RawRequest } from '../types';
import { headerValue } from '../wire';
import { authenticate } from './auth';
import { alibabaCommonErrors, gateway } from './errors';
import { rpcParamsOf } from './params';
import { renderError, renderSuccess } from './render';
import { RESOURCE_DIRECTORY_APIS } from './resourcedirectory';
import { RESOURCE_MANAGER_APIS } from './resourcemanager';
import { authenticateRpc, isRpcSigned } from './rpc-auth';
import { RPC_COMMON_PARAMS } from './rpc-signature';
import type { AlibabaState } from './state';
import { STS_APIS } from './sts';

/** The action a request names: the `x-acs-action` header, or the signed `Action` of a classic RPC call. */
function actionOf(request: RawRequest): string | undefined {
  if (isRpcSigned(request)) return rpcParamsOf(request).Action;
  return headerValue(request.headers, 'x-acs-action');
}

/** The API's own parameters, as ActionTrail records them: no credentials, signature or common fields. */
function paramsOf(request: RawRequest): Record<string, string> {
  const params = rpcParamsOf(request);
  return Object.fromEntries(Object.entries(params).filter(([key]) => !RPC_COMMON_PARAMS.has(key)));
}

/**
 * Alibaba Cloud Resource Manager (2020-03-31) as @alicloud/resourcemanager20200331 speaks it: RPC calls
 * named by the `x-acs-action` header, parameters in the query (or a form body), ACS3-HMAC-SHA256 signatures;
 * and as @alicloud/pop-core and the aliyun CLI speak it: the classic HMAC-SHA1 signature and the `Action`
 * among the parameters.
 */
export const alibabaDialect: Dialect<AlibabaState> = {
  cloud: 'alibaba',
  apis: [...RESOURCE_MANAGER_APIS, ...RESOURCE_DIRECTORY_APIS, ...STS_APIS],
  recognizes: (request: RawRequest) => actionOf(request) !== undefined,
  actionOf: (request: RawRequest) => actionOf(request) ?? '',
  authenticate: (request, keys, now) =>
    isRpcSigned(request) ? authenticateRpc(request, keys, now) : authenticate(request, keys, now),
  input: rpcParamsOf,
  paramsOf,
  errors: alibabaCommonErrors,
  // The action the API is authorised as: `ram:` for resource-group policy calls, `resourcemanager:` for
  // Resource Directory ones (docs/sources.md, "Alibaba permissions").
  permissionDenied: (api, caller) => gateway.noPermission(api.permission, caller.accessKeyId),
  renderSuccess,
  renderError,
};
