import type { CommonErrors } from '../errors';
import { AlibabaApiError, fail } from './api-error';
import { RD_WRITES, rd } from './resourcedirectory/errors';

/**
 * Gateway (POP) codes shared by every Alibaba RPC API. Messages follow the public error centre; where it
 * is silent the sandbox keeps the gateway's usual wording (see the dialect report for sources).
 */
export const gateway = {
  missingParameter: (name: string) =>
    fail(
      'MissingParameter',
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
      400,
    ),
  invalidParameter: (name: string, detail?: string) =>
    fail(
      'InvalidParameter',
      `The specified parameter "${name}" is not valid.${detail ? ` ${detail}` : ''}`,
      400,
    ),
  malformed: (detail: string) => fail('InvalidParameter', `The request is malformed: ${detail}.`, 400),
  invalidVersion: () => fail('InvalidVersion', 'Specified parameter Version is not valid.', 400),
  unknownAction: () =>
    fail('InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 404),
  incompleteSignature: (detail: string) =>
    fail('IncompleteSignature', `The request signature does not conform to Aliyun standards. ${detail}`, 400),
  invalidSignatureMethod: () =>
    fail('InvalidSignatureMethod', 'Specified signature method is not supported.', 400),
  signatureDoesNotMatch: () =>
    fail('SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.', 400),
  accessKeyNotFound: () => fail('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404),
  timestampFormat: () =>
    fail('InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.', 400),
  timestampExpired: () =>
    fail('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.', 400),
  nonceUsed: () => fail('SignatureNonceUsed', 'Specified signature nonce was used already.', 400),
  missingToken: () => fail('MissingSecurityToken', 'SecurityToken is mandatory for this action.', 400),
  tokenMismatch: () =>
    fail(
      'InvalidSecurityToken.MismatchWithAccessKey',
      'Specified SecurityToken mismatch with the AccessKey.',
      400,
    ),
  tokenMalformed: () => fail('InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed.', 400),
  /** `permission` is the action the API is authorised as (`ram:DetachPolicy`), the API's declaration says. */
  noPermission: (permission: string, accessKeyId: string) =>
    new AlibabaApiError('NoPermission', 'You are not authorized to do this action.', 403, {
      AccessDeniedDetail: {
        AuthAction: permission,
        AuthPrincipalType: 'SubUser',
        AuthPrincipalDisplayName: accessKeyId,
        NoPermissionType: 'ImplicitDeny',
        PolicyType: 'AccountLevelIdentityBasedPolicy',
      },
    }),
};

export const resourceGroupStatus = () =>
  fail(
    'Invalid.ResourceGroup.Status',
    'You cannot perform an operation on a resource group that is being created or deleted.',
    409,
  );

export const alibabaCommonErrors: CommonErrors = {
  concurrentCall: (action) => (RD_WRITES.has(action) ? rd.concurrentCall() : undefined),
  unknownAction: () => gateway.unknownAction(),
  malformed: (detail) => gateway.malformed(detail),
  // HTTP 400 as in the POP gateway's common error list (no live capture; some newer gateways use 429).
  // The SDK makes any code containing "Throttling" a ThrottlingError whatever the status.
  throttled: () => fail('Throttling.User', 'Request was denied due to user flow control.', 400),
  serverError: () =>
    fail('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503),
  busy: resourceGroupStatus,
  internal: () =>
    fail(
      'InternalError',
      'The request processing has failed due to some unknown error, exception or failure.',
      500,
    ),
};
