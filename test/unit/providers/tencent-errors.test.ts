import TencentCloudSDKHttpException from 'tencentcloud-sdk-nodejs/tencentcloud/common/exception/tencent_cloud_sdk_exception';
import { describe, expect, it } from 'vitest';
import { callTencent, TENCENT_ERROR_TABLE, tencentError } from '../../../shared/providers/tencent/errors';
import type { ErrorClass } from '../../../shared/providers/types';

/** What the SDK throws for an API error: HTTP 200, `Response.Error.Code` in `code`. */
function apiError(code: string, message = `message of ${code}`, requestId = 'req-1') {
  const error = new TencentCloudSDKHttpException(message, requestId, 'trace-1');
  error.code = code;
  return error;
}

/** What the SDK throws for a non-200 answer: `httpCode`, the status text, no code, no request id. */
function httpError(status: number, statusText: string) {
  const error = new TencentCloudSDKHttpException(statusText, '', 'trace-1');
  error.httpCode = status;
  return error;
}

/** What the SDK throws when no answer came back: the fetch error's message only. */
const networkError = () =>
  new TencentCloudSDKHttpException('request to http://x failed, reason: socket hang up', '', 't');

/**
 * Every row of TENCENT_ERROR_TABLE, with a concrete code for each prefix row: a change to the table
 * must change this list too.
 */
const ROWS: ReadonlyArray<[row: string, code: string, errorClass: ErrorClass]> = [
  ['ResourceNotFound.PolicyNotExist', 'ResourceNotFound.PolicyNotExist', 'already-gone'],
  ['ResourceNotFound.PolicyIdNotFound', 'ResourceNotFound.PolicyIdNotFound', 'already-gone'],
  ['ResourceNotFound.NodeNotExist', 'ResourceNotFound.NodeNotExist', 'already-gone'],
  ['ResourceNotFound.MemberNotExist', 'ResourceNotFound.MemberNotExist', 'already-gone'],
  ['InvalidParameter.PolicyIdNotExist', 'InvalidParameter.PolicyIdNotExist', 'already-gone'],
  ['ResourceNotFound.OrganizationNodeNotExist', 'ResourceNotFound.OrganizationNodeNotExist', 'already-gone'],
  [
    'ResourceNotFound.OrganizationMemberNotExist',
    'ResourceNotFound.OrganizationMemberNotExist',
    'already-gone',
  ],
  ['InvalidParameter.OrganizationNodeNotExist', 'InvalidParameter.OrganizationNodeNotExist', 'already-gone'],
  [
    'InvalidParameter.OrganizationMemberNotExist',
    'InvalidParameter.OrganizationMemberNotExist',
    'already-gone',
  ],
  ['FailedOperation.PermissionDenied', 'FailedOperation.PermissionDenied', 'permission'],
  ['OperationDenied', 'OperationDenied', 'permission'],
  ['OperationDenied.', 'OperationDenied.MFAExpired', 'permission'],
  ['InvalidParameter.OrganizationNotExist', 'InvalidParameter.OrganizationNotExist', 'permanent'],
  ['RequestLimitExceeded', 'RequestLimitExceeded', 'transient'],
  ['RequestLimitExceeded.', 'RequestLimitExceeded.UinLimitExceeded', 'transient'],
  ['InternalError', 'InternalError', 'transient'],
  ['InternalError.', 'InternalError.SystemError', 'transient'],
  ['ServiceUnavailable', 'ServiceUnavailable', 'transient'],
  ['ResourceUnavailable', 'ResourceUnavailable', 'conflict'],
  ['ResourceInUse', 'ResourceInUse', 'conflict'],
  [
    'FailedOperation.OrganizationDetachLastPolicyError',
    'FailedOperation.OrganizationDetachLastPolicyError',
    'last-policy',
  ],
  [
    'FailedOperation.OrganizationPolicyIsNotEnabled',
    'FailedOperation.OrganizationPolicyIsNotEnabled',
    'policy-type-disabled',
  ],
  [
    'FailedOperation.OrganizationDetachPolicyError',
    'FailedOperation.OrganizationDetachPolicyError',
    'ambiguous',
  ],
  ['AuthFailure.', 'AuthFailure.SignatureExpire', 'permission'],
  ['UnauthorizedOperation', 'UnauthorizedOperation', 'permission'],
  [
    'InvalidParameter.OrganizationMemberNotManager',
    'InvalidParameter.OrganizationMemberNotManager',
    'permission',
  ],
  ['InvalidParameter', 'InvalidParameter', 'invalid-input'],
  ['InvalidParameter.', 'InvalidParameter.ParamError', 'invalid-input'],
  ['InvalidParameterValue', 'InvalidParameterValue', 'invalid-input'],
  ['InvalidParameterValue.', 'InvalidParameterValue.LimitExceeded', 'invalid-input'],
  ['MissingParameter', 'MissingParameter', 'invalid-input'],
  ['UnknownParameter', 'UnknownParameter', 'invalid-input'],
  ['ResourceNotFound.OrganizationNotExist', 'ResourceNotFound.OrganizationNotExist', 'permanent'],
  ['InvalidAction', 'InvalidAction', 'permanent'],
  ['NoSuchVersion', 'NoSuchVersion', 'permanent'],
  ['UnsupportedProtocol', 'UnsupportedProtocol', 'permanent'],
];

describe('TENCENT_ERROR_TABLE', () => {
  it('every row is covered below, and nothing else is in the table', () => {
    expect(ROWS.map(([row]) => row).sort()).toEqual(Object.keys(TENCENT_ERROR_TABLE).sort());
  });

  it.each(ROWS)('%s: %s → %s', (_row, code, errorClass) => {
    expect(tencentError(apiError(code))).toEqual({
      provider: 'tencent',
      errorClass,
      code,
      httpStatus: 200,
      message: `message of ${code}`,
      requestId: 'req-1',
    });
  });

  it('an exact row wins over a prefix row (InvalidParameter.* is invalid input, these two are not)', () => {
    expect(tencentError(apiError('InvalidParameter.PolicyIdNotExist')).errorClass).toBe('already-gone');
    expect(tencentError(apiError('InvalidParameter.OrganizationMemberNotManager')).errorClass).toBe(
      'permission',
    );
    expect(tencentError(apiError('InvalidParameter.SomethingElse')).errorClass).toBe('invalid-input');
  });

  it('a prefix row matches only codes under it: RequestLimitExceededX is not throttling', () => {
    expect(tencentError(apiError('RequestLimitExceededX')).errorClass).toBe('ambiguous');
  });

  it('an unknown code is ambiguous: the engine reads the truth before deciding', () => {
    expect(tencentError(apiError('FailedOperation.SomethingNew'))).toMatchObject({
      errorClass: 'ambiguous',
      code: 'FailedOperation.SomethingNew',
      httpStatus: 200,
    });
    expect(tencentError(apiError('ResourceNotFound.SomethingElse')).errorClass).toBe('ambiguous');
  });
});

describe('tencentError: answers without an API code', () => {
  it('a 5xx or 429 answer is transient, named by its status', () => {
    expect(tencentError(httpError(502, 'Bad Gateway'))).toEqual({
      provider: 'tencent',
      errorClass: 'transient',
      code: 'HTTP502',
      httpStatus: 502,
      message: 'Bad Gateway',
      requestId: undefined,
    });
    expect(tencentError(httpError(503, 'Service Unavailable')).errorClass).toBe('transient');
    expect(tencentError(httpError(429, 'Too Many Requests')).errorClass).toBe('transient');
  });

  it('another non-200 status is ambiguous', () => {
    expect(tencentError(httpError(404, 'Not Found'))).toMatchObject({
      errorClass: 'ambiguous',
      code: 'HTTP404',
    });
  });

  it('no answer at all (reset, refused, time-out) is a transient NetworkError, without the URL', () => {
    expect(tencentError(networkError())).toEqual({
      provider: 'tencent',
      errorClass: 'transient',
      code: 'NetworkError',
      httpStatus: undefined,
      message: 'no answer from the endpoint',
      requestId: undefined,
    });
  });

  it('anything thrown that is not an SDK error is treated as no answer', () => {
    for (const thrown of [undefined, null, 'boom', new Error('boom'), { code: '' }])
      expect(tencentError(thrown)).toMatchObject({ errorClass: 'transient', code: 'NetworkError' });
  });
});

describe('callTencent', () => {
  it('returns the RequestId of a success', async () => {
    expect(await callTencent(async () => ({ RequestId: 'req-ok' }))).toEqual({
      ok: true,
      requestId: 'req-ok',
    });
  });

  it('returns the classified error of a failure, never throws', async () => {
    const result = await callTencent(async () => {
      throw apiError('FailedOperation.OrganizationDetachLastPolicyError');
    });
    expect(result).toMatchObject({
      ok: false,
      error: { errorClass: 'last-policy', code: 'FailedOperation.OrganizationDetachLastPolicyError' },
    });
  });
});
