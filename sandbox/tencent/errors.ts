import { type CommonErrors, SandboxApiError } from '../errors';

/**
 * Tencent Cloud API 3.0 answers every processed call with HTTP 200 and puts the failure in
 * `Response.Error`, so the status carried here is always 200.
 */
export function tencentError(code: string, message: string): SandboxApiError {
  return new SandboxApiError(code, message, 200);
}

/** Gateway-level failures, in the words of the common error code list of API 3.0. */
export const gatewayErrors = {
  invalidAuthorization: (detail: string) =>
    tencentError(
      'AuthFailure.InvalidAuthorization',
      `Authorization in the request header is invalid: ${detail}`,
    ),
  secretIdNotFound: () =>
    tencentError(
      'AuthFailure.SecretIdNotFound',
      'The SecretId is not found, please ensure that your SecretId is correct.',
    ),
  signatureExpire: (timestamp: number, serverTime: number) =>
    tencentError(
      'AuthFailure.SignatureExpire',
      `Signature expired. Timestamp ${timestamp} and server time ${serverTime} differ by more than five minutes.`,
    ),
  signatureFailure: () =>
    tencentError(
      'AuthFailure.SignatureFailure',
      'The provided credentials could not be validated. Please check your signature is correct.',
    ),
  // No code for a replayed v1 request is documented; the sandbox refuses it as a signature failure.
  replayed: () =>
    tencentError(
      'AuthFailure.SignatureFailure',
      'The provided credentials could not be validated: this Nonce was already used with this Timestamp.',
    ),
  tokenFailure: (detail: string) => tencentError('AuthFailure.TokenFailure', `Token error: ${detail}`),
  missingParameter: (name: string) =>
    tencentError('MissingParameter', `The request is missing a required parameter \`${name}\`.`),
  unknownParameter: (name: string) =>
    tencentError('UnknownParameter', `The parameter \`${name}\` is not recognized.`),
  wrongType: (name: string, expected: string) =>
    tencentError(
      'InvalidParameter',
      `The value type of parameter \`${name}\` is incorrect. The parameter type should be \`${expected}\`.`,
    ),
  noSuchVersion: (version: string) =>
    tencentError('NoSuchVersion', `The API version \`${version}\` does not exist for this service.`),
  unsupportedProtocol: (method: string) =>
    tencentError(
      'UnsupportedProtocol',
      `HTTP(S) request protocol error; only GET and POST requests are supported (got ${method}).`,
    ),
} as const;

export const tencentCommonErrors: CommonErrors = {
  unknownAction: (action) =>
    tencentError('InvalidAction', `The requested action \`${action}\` does not exist.`),
  // The gateway answers an unparseable body with the generic parameter error.
  malformed: (detail) => tencentError('InvalidParameter', `The request is malformed: ${detail}.`),
  throttled: () =>
    tencentError(
      'RequestLimitExceeded',
      'Your current request times exceed the frequency limit of this API. Please reduce the frequency of calls.',
    ),
  serverError: () => tencentError('InternalError', 'An internal error occurred.'),
  // ResourceUnavailable is a common API 3.0 code and is in the Organization product's own code list;
  // it is the one that says "not available right now" without implying a caller mistake.
  busy: () =>
    tencentError('ResourceUnavailable', 'The resource is temporarily unavailable. Please try again later.'),
  internal: () => tencentError('InternalError', 'An internal error occurred.'),
};
