import { ClientError, ServerError, ThrottlingError } from '@alicloud/openapi-core';
import { describe, expect, it } from 'vitest';
import { ALIBABA_ERROR_TABLE, alibabaError, callAlibaba } from '../../../shared/providers/alibaba/errors';
import type { ErrorClass } from '../../../shared/providers/types';

/**
 * The error the SDK throws for an error answer, built the way openapi-core builds it: ThrottlingError
 * for any code containing "Throttling", ClientError for 4xx, ServerError for 5xx, the envelope in `data`.
 */
function sdkError(code: string, statusCode: number, message = `${code} message`, requestId = 'req-1') {
  const data = { RequestId: requestId, HostId: 'resourcemanager.aliyuncs.com', Code: code, Message: message };
  const fields = {
    statusCode,
    code,
    message: `code: ${statusCode}, ${message} request id: ${requestId}`,
    data,
    requestId,
  };
  if (code.includes('Throttling')) return new ThrottlingError(fields);
  return statusCode < 500 ? new ClientError(fields) : new ServerError(fields);
}

/** Every row of the table, with the HTTP status the cloud (or the sandbox) answers it with. */
const ROWS: Array<[code: string, status: number, expected: ErrorClass]> = [
  ['EntityNotExist.Policy', 404, 'already-gone'],
  ['EntityNotExists.ResourceGroup', 404, 'already-gone'],
  ['EntityNotExists.Target', 404, 'already-gone'],
  ['EntityNotExist.User.Policy', 404, 'already-gone'],
  ['EntityNotExist.Group.Policy', 404, 'already-gone'],
  ['EntityNotExist.Role.Policy', 404, 'already-gone'],
  ['EntityNotExist.User', 404, 'already-gone'],
  ['EntityNotExist.Group', 404, 'already-gone'],
  ['EntityNotExist.Role', 404, 'already-gone'],
  ['EntityNotExists.ControlPolicy', 404, 'already-gone'],
  ['EntityNotExists.ControlPolicyAttachment', 404, 'already-gone'],
  ['EntityNotExist.Policy.Version', 404, 'already-gone'],
  ['Throttling', 400, 'transient'],
  ['Throttling.User', 400, 'transient'],
  ['Throttling.Api', 429, 'transient'],
  ['Rejected.Throttling', 400, 'transient'],
  ['ServiceUnavailable', 503, 'transient'],
  ['InternalError', 500, 'transient'],
  ['SignatureNonceUsed', 400, 'transient'],
  ['Invalid.ResourceGroup.Status', 409, 'resource-group-status'],
  ['ConcurrentCallNotSupported', 409, 'conflict'],
  ['NotSupport.DetachLastControlPolicy', 400, 'last-policy'],
  ['DeleteConflict.Policy.User', 409, 'delete-conflict'],
  ['DeleteConflict.Policy.Group', 409, 'delete-conflict'],
  ['DeleteConflict.Policy.Role', 409, 'delete-conflict'],
  ['DeleteConflict.Policy.Version', 409, 'delete-conflict'],
  ['NoPermission', 403, 'permission'],
  ['Forbidden.RAM', 403, 'permission'],
  ['Forbidden.AccessKeyDisabled', 403, 'permission'],
  ['InvalidAccessKeyId.NotFound', 404, 'permission'],
  ['InvalidAccessKeyId.Inactive', 400, 'permission'],
  ['SignatureDoesNotMatch', 400, 'permission'],
  ['IncompleteSignature', 400, 'permission'],
  ['InvalidSignatureMethod', 400, 'permission'],
  ['MissingSecurityToken', 400, 'permission'],
  ['InvalidSecurityToken.Expired', 400, 'permission'],
  ['InvalidSecurityToken.Malformed', 400, 'permission'],
  ['InvalidSecurityToken.MismatchWithAccessKey', 400, 'permission'],
  ['InvalidTimeStamp.Expired', 400, 'permission'],
  ['InvalidTimeStamp.Format', 400, 'permission'],
  ['InvalidParameter', 400, 'invalid-input'],
  ['InvalidParameter.PolicyType', 400, 'invalid-input'],
  ['InvalidParameter.PolicyName.Length', 400, 'invalid-input'],
  ['MissingParameter', 400, 'invalid-input'],
  ['InvalidControlPolicyEnablementStatus', 409, 'policy-type-disabled'],
  ['EntityNotExists.ResourceDirectory', 404, 'permanent'],
  ['InvalidVersion', 400, 'permanent'],
  ['InvalidAction.NotFound', 404, 'permanent'],
  ['HTTP403', 403, 'permission'],
];

describe('ALIBABA_ERROR_TABLE through alibabaError (SDK-shaped errors)', () => {
  it.each(ROWS)('%s (HTTP %i) → %s', (code, status, expected) => {
    const error = alibabaError(sdkError(code, status, 'vendor words', 'req-42'));
    expect(error).toEqual({
      provider: 'alibaba',
      errorClass: expected,
      code,
      httpStatus: status,
      message: 'vendor words',
      requestId: 'req-42',
    });
  });

  it('every row of the table is exercised above (a new row needs a case here)', () => {
    const codes = ROWS.map(([code]) => code);
    for (const key of Object.keys(ALIBABA_ERROR_TABLE)) {
      const covered = key.endsWith('.') ? codes.some((c) => c.startsWith(key)) : codes.includes(key);
      expect(covered, `table row ${key}`).toBe(true);
    }
  });

  it('a longer prefix wins over a shorter one, an exact code over any prefix', () => {
    expect(alibabaError(sdkError('DeleteConflict.Policy.Version.Default', 409)).errorClass).toBe(
      'delete-conflict',
    );
    expect(alibabaError(sdkError('EntityNotExist.Policy.Version', 404)).errorClass).toBe('already-gone');
    // A prefix key matches only at its dot: `Forbidden.` does not cover `ForbiddenX`.
    expect(alibabaError(sdkError('ForbiddenX', 400)).errorClass).toBe('ambiguous');
  });
});

describe('alibabaError: codes outside the table', () => {
  it.each([
    ['SomethingNew', 500],
    ['SomethingNew', 502],
    ['ServiceUnavailable.Maintenance', 503],
    ['Gateway.Timeout', 504],
  ])('%s with HTTP %i → transient (5xx rule)', (code, status) => {
    expect(alibabaError(sdkError(code, status))).toMatchObject({
      errorClass: 'transient',
      code,
      httpStatus: status,
    });
  });

  it('an unknown code with HTTP 429 → transient', () => {
    expect(alibabaError(sdkError('QuotaExceeded.Flow', 429)).errorClass).toBe('transient');
  });

  it.each([
    ['EntityAlreadyExists.ControlPolicyAttachment', 409],
    ['EntityNotExists.SomethingElse', 404],
    ['OperationDenied.Whatever', 400],
  ])('%s (HTTP %i) → ambiguous: the engine reads the truth before deciding', (code, status) => {
    expect(alibabaError(sdkError(code, status))).toMatchObject({ errorClass: 'ambiguous', code });
  });
});

describe('alibabaError: no answer from the endpoint', () => {
  const networkError = (code: string) => Object.assign(new Error(`socket failure ${code}`), { code });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'])('%s → transient', (code) => {
    expect(alibabaError(networkError(code))).toEqual({
      provider: 'alibaba',
      errorClass: 'transient',
      code,
      httpStatus: undefined,
      message: 'no answer from the endpoint',
      requestId: undefined,
    });
  });

  it('the HTTP client time-outs (read and connect) → transient, code Timeout', () => {
    for (const message of [
      'ReadTimeout(300). POST http://x/ failed.',
      'ConnectTimeout: Connect http://x/ failed.',
    ]) {
      const error = Object.assign(new Error(message), { name: 'RequestTimeoutError' });
      expect(alibabaError(error)).toMatchObject({ errorClass: 'transient', code: 'Timeout' });
    }
  });

  it('a network-looking code on an HTTP answer is the vendor code, not a socket failure', () => {
    expect(alibabaError(sdkError('ETIMEDOUT', 400)).errorClass).toBe('ambiguous');
  });
});

describe('alibabaError: odd inputs do not throw', () => {
  it.each([undefined, null, 'a string', 42, {}, new TypeError('bug')])('%s → ambiguous', (input) => {
    const error = alibabaError(input);
    expect(error.provider).toBe('alibaba');
    expect(error.errorClass).toBe('ambiguous');
    expect(typeof error.message).toBe('string');
  });

  it('keeps the SDK message when the envelope has none', () => {
    const error = Object.assign(new Error('plain failure'), { code: 'Odd', statusCode: 400 });
    expect(alibabaError(error)).toMatchObject({ code: 'Odd', message: 'plain failure', httpStatus: 400 });
  });

  it('reads RequestId from the envelope when the error has none', () => {
    const error = { code: 'NoPermission', statusCode: 403, data: { Message: 'm', RequestId: 'from-data' } };
    expect(alibabaError(error).requestId).toBe('from-data');
  });
});

describe('callAlibaba', () => {
  it('a resolved call is ok, with the body RequestId', async () => {
    expect(await callAlibaba(async () => ({ body: { requestId: 'r-9' } }))).toEqual({
      ok: true,
      requestId: 'r-9',
    });
  });

  it('a rejected call is a classified failure, never a throw', async () => {
    const result = await callAlibaba(async () => {
      throw sdkError('NotSupport.DetachLastControlPolicy', 400);
    });
    expect(result).toMatchObject({
      ok: false,
      error: { errorClass: 'last-policy', code: 'NotSupport.DetachLastControlPolicy' },
    });
  });
});
