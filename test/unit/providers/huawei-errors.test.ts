import { ClientRequestException } from '@huaweicloud/huaweicloud-sdk-core/exception/ClientRequestException';
import { ServerResponseException } from '@huaweicloud/huaweicloud-sdk-core/exception/ServerResponseException';
import { ServiceResponseException } from '@huaweicloud/huaweicloud-sdk-core/exception/ServiceResponseException';
import { describe, expect, it } from 'vitest';
import { callHuawei, HUAWEI_ERROR_TABLE, huaweiError } from '../../../shared/providers/huawei/errors';
import type { ErrorClass } from '../../../shared/providers/types';

/** What HcClient throws: ClientRequestException for 4xx, ServerResponseException for 5xx. */
function sdkError(status: number, code?: string, message = `message of ${code ?? status}`) {
  return status >= 500
    ? new ServerResponseException(status, message, code, 'req-1')
    : new ClientRequestException(status, message, code, 'req-1');
}

/** What HcClient throws when no answer came back: no status at all. */
const networkError = () => new ServiceResponseException(undefined, 'read ECONNRESET', undefined, undefined);

/**
 * Every row of HUAWEI_ERROR_TABLE with the status it comes with (HTTPnnn rows with a code the table
 * does not name): a change to the table must change this list too.
 */
const ROWS: ReadonlyArray<[row: string, status: number, code: string | undefined, errorClass: ErrorClass]> = [
  ['APIGW.0308', 429, 'APIGW.0308', 'transient'],
  ['APIG.0308', 429, 'APIG.0308', 'transient'],
  ['APIG.0203', 503, 'APIG.0203', 'transient'],
  ['PAP5.0003', 409, 'PAP5.0003', 'permanent'],
  ['PAP5.0001', 403, 'PAP5.0001', 'permission'],
  ['PAP5.0046', 403, 'PAP5.0046', 'permanent'],
  ['APIGW.0301', 401, 'APIGW.0301', 'permission'],
  ['APIG.0301', 401, 'APIG.0301', 'permission'],
  ['APIGW.0101', 404, 'APIGW.0101', 'permanent'],
  ['HTTP400', 400, 'IAM.0007', 'invalid-input'],
  ['HTTP401', 401, undefined, 'permission'],
  ['HTTP403', 403, 'IAM.0003', 'permission'],
  ['HTTP404', 404, 'IAM.0004', 'already-gone'],
  ['HTTP409', 409, 'IAM.0005', 'conflict'],
  ['HTTP429', 429, undefined, 'transient'],
];

describe('HUAWEI_ERROR_TABLE', () => {
  it('every row is covered below, and nothing else is in the table', () => {
    expect(ROWS.map(([row]) => row).sort()).toEqual(Object.keys(HUAWEI_ERROR_TABLE).sort());
  });

  it.each(ROWS)('%s: %i %s → %s', (_row, status, code, errorClass) => {
    expect(huaweiError(sdkError(status, code))).toMatchObject({
      provider: 'huawei',
      errorClass,
      code: code ?? `HTTP${status}`,
      httpStatus: status,
      message: `message of ${code ?? status}`,
      requestId: 'req-1',
    });
  });

  it('PAP5.0046 (an agency token without x-user-profile) says what to use instead, and will not clear by retrying', () => {
    const error = huaweiError(sdkError(403, 'PAP5.0046', 'missing x-user-profile'));
    expect(error.errorClass).toBe('permanent');
    expect(error.hint).toMatch(/agency token/);
    expect(error.hint).toMatch(/AK\/SK and security token/);
    expect(huaweiError(sdkError(403, 'PAP5.0001')).hint).toBeUndefined();
  });

  it('400 (requests are validated before the call, so only here): invalid input whatever the code', () => {
    for (const code of ['IAM.0007', 'IAM.0011', 'IAM.0072', 'PAP5.0010', undefined])
      expect(huaweiError(sdkError(400, code)).errorClass).toBe('invalid-input');
  });

  it('a code in the table wins over the status: an unknown API (404 APIGW.0101) is not "already gone"', () => {
    expect(huaweiError(sdkError(404, 'APIGW.0101')).errorClass).toBe('permanent');
    expect(huaweiError(sdkError(404, 'IAM.0004')).errorClass).toBe('already-gone');
    // The attach quota (409 PAP5.0003) will not clear by retrying, unlike a concurrent change (409).
    expect(huaweiError(sdkError(409, 'PAP5.0003')).errorClass).toBe('permanent');
    expect(huaweiError(sdkError(409, 'IAM.0005')).errorClass).toBe('conflict');
  });

  it('any 5xx is transient, named or not (IAM.0006 internal error, a bare 503)', () => {
    expect(huaweiError(sdkError(500, 'IAM.0006')).errorClass).toBe('transient');
    expect(huaweiError(sdkError(503))).toMatchObject({ errorClass: 'transient', code: 'HTTP503' });
    expect(huaweiError(sdkError(504, 'APIGW.0202')).errorClass).toBe('transient');
  });

  it('another 4xx with an unknown code is ambiguous', () => {
    expect(huaweiError(sdkError(412, 'IAM.0099'))).toMatchObject({
      errorClass: 'ambiguous',
      httpStatus: 412,
    });
  });

  it('the status may arrive as a string', () => {
    expect(huaweiError(new ClientRequestException('404', 'gone', 'IAM.0004', 'r'))).toMatchObject({
      errorClass: 'already-gone',
      httpStatus: 404,
    });
  });
});

describe('huaweiError: no answer', () => {
  it('is a transient NetworkError without the socket details', () => {
    expect(huaweiError(networkError())).toEqual({
      provider: 'huawei',
      errorClass: 'transient',
      code: 'NetworkError',
      httpStatus: undefined,
      message: 'no answer from the endpoint',
      requestId: undefined,
    });
  });

  it('anything thrown that is not an SDK error is treated as no answer', () => {
    for (const thrown of [undefined, null, 'boom', new Error('boom'), { httpStatusCode: 'abc' }])
      expect(huaweiError(thrown)).toMatchObject({ errorClass: 'transient', code: 'NetworkError' });
  });
});

describe('callHuawei', () => {
  it('a resolved call is ok', async () => {
    expect(await callHuawei(async () => ({ httpStatusCode: 200 }))).toEqual({ ok: true });
  });

  it('a rejected call is the classified error, never a throw', async () => {
    const result = await callHuawei(async () => {
      throw sdkError(409, 'IAM.0005');
    });
    expect(result).toMatchObject({
      ok: false,
      error: { errorClass: 'conflict', code: 'IAM.0005', httpStatus: 409 },
    });
  });
});
