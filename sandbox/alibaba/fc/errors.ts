import { type CommonErrors, SandboxApiError } from '../../errors';
import type { HttpReply } from '../../types';

/**
 * Function Compute (2016-08-15 API) errors: HTTP status and `{ErrorCode, ErrorMessage}`, the fields
 * @alicloud/fc2 reads (it names the thrown error `FC<ErrorCode>Error`). Codes and messages are those of
 * FC's public error-code list; where the list has none (a skewed date, a wrong token) the sandbox uses
 * AccessDenied with its own words.
 */
export const fcError = (code: string, message: string, status: number) =>
  new SandboxApiError(code, message, status);

export const fcErrors = {
  missingHeader: (name: string) =>
    fcError('MissingRequiredHeader', `required HTTP header ${name} was not specified`, 400),
  invalidArgument: (detail: string) => fcError('InvalidArgument', detail, 400),
  pathNotSupported: (method: string, path: string) =>
    fcError('PathNotSupported', `'${method}' against '${path}' is not supported`, 400),
  entityTooLarge: (bytes: number) =>
    fcError('EntityTooLarge', `payload size exceeds maximum allowed size (${bytes} bytes)`, 400),
  signatureNotMatch: () =>
    fcError(
      'SignatureNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your access key and signing method',
      403,
    ),
  invalidAccessKeyId: (accessKeyId: string) =>
    fcError('InvalidAccessKeyID', `invalid access key ID '${accessKeyId}'`, 403),
  accessDenied: (detail: string) => fcError('AccessDenied', detail, 403),
  serviceNotFound: (service: string) =>
    fcError('ServiceNotFound', `service '${service}' does not exist`, 404),
  functionNotFound: (service: string, name: string) =>
    fcError('FunctionNotFound', `function '${name}' does not exist in service '${service}'`, 404),
  throttled: () =>
    fcError('ResourceExhausted', 'the number of concurrent invocations exceeds the limit, please retry', 429),
  internal: () => fcError('InternalServerError', 'an internal error has occurred. Please retry.', 500),
  throttledCapacity: () =>
    fcError('ResourceThrottled', 'the number of instances exceeds the limit, please retry', 503),
};

export const fcCommonErrors: CommonErrors = {
  unknownAction: (action) => {
    const space = action.indexOf(' ');
    return fcErrors.pathNotSupported(action.slice(0, space), action.slice(space + 1));
  },
  malformed: (detail) =>
    detail.includes('too large') ? fcErrors.entityTooLarge(1024 * 1024) : fcErrors.invalidArgument(detail),
  throttled: fcErrors.throttled,
  serverError: fcErrors.internal,
  busy: fcErrors.throttledCapacity,
  internal: fcErrors.internal,
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function renderFcError(error: SandboxApiError, requestId: string): HttpReply {
  return {
    status: error.httpStatus,
    headers: { ...JSON_HEADERS, 'x-fc-request-id': requestId, ...error.headers },
    body: JSON.stringify({ ErrorCode: error.code, ErrorMessage: error.message }),
  };
}
