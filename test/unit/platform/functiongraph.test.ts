import { describe, expect, test } from 'vitest';
import { functionGraphInvocation } from '../../../shared/platform/functiongraph/invocation';
import { DEADLINE_MARGIN_MS, MissingCredentialsError } from '../../../shared/platform/platform';

const STARTED = 1_700_000_000_000;

/**
 * The FunctionGraph Node.js context (docs/sources.md, Handler context objects): the agency's temporary
 * credentials behind getters.
 */
const context = (overrides: Record<string, unknown> = {}) => ({
  getRequestID: () => 'fg-req-1',
  getRemainingTimeInMilliSeconds: () => 25_000,
  getRunningTimeInSeconds: () => 30,
  getSecurityAccessKey: () => 'HSTAagency',
  getSecuritySecretKey: () => 'agency-secret',
  getSecurityToken: () => 'agency-token',
  getUserData: () => undefined,
  getFunctionName: () => 'audit-log',
  ...overrides,
});

describe('FunctionGraph adapter', () => {
  test('takes the agency credentials from the context getters, token included', () => {
    expect(functionGraphInvocation(context(), STARTED)).toMatchObject({
      provider: 'huawei',
      requestId: 'fg-req-1',
      credentials: {
        accessKeyId: 'HSTAagency',
        accessKeySecret: 'agency-secret',
        securityToken: 'agency-token',
      },
    });
  });

  test('the security token is optional: no getter, or an empty token, means none', () => {
    for (const getSecurityToken of [undefined, () => '']) {
      const { credentials } = functionGraphInvocation(context({ getSecurityToken }), STARTED);
      expect(credentials).toEqual({
        accessKeyId: 'HSTAagency',
        accessKeySecret: 'agency-secret',
        securityToken: undefined,
      });
    }
  });

  test('the deadline is the remaining time less the margin', () => {
    expect(functionGraphInvocation(context(), STARTED).deadline).toBe(STARTED + 25_000 - DEADLINE_MARGIN_MS);
  });

  test('without the remaining time, the function time-out; without either, 60 s', () => {
    const noRemaining = context({ getRemainingTimeInMilliSeconds: undefined });
    expect(functionGraphInvocation(noRemaining, STARTED).deadline).toBe(
      STARTED + 30_000 - DEADLINE_MARGIN_MS,
    );
    const neither = context({
      getRemainingTimeInMilliSeconds: undefined,
      getRunningTimeInSeconds: undefined,
    });
    expect(functionGraphInvocation(neither, STARTED).deadline).toBe(STARTED + 60_000 - DEADLINE_MARGIN_MS);
  });

  test('a short remaining time still leaves a second', () => {
    const late = context({ getRemainingTimeInMilliSeconds: () => 900 });
    expect(functionGraphInvocation(late, STARTED).deadline).toBe(STARTED + 1_000);
  });

  test('no request id getter: "unknown"', () => {
    expect(functionGraphInvocation(context({ getRequestID: undefined }), STARTED).requestId).toBe('unknown');
  });

  test.each([
    ['no context', undefined],
    [
      'no agency (getters answer nothing)',
      context({ getSecurityAccessKey: () => '', getSecuritySecretKey: () => '' }),
    ],
    ['no secret key getter', context({ getSecuritySecretKey: undefined })],
  ])('%s: MissingCredentialsError naming the agency', (_name, given) => {
    expect(() => functionGraphInvocation(given, STARTED)).toThrow(MissingCredentialsError);
    expect(() => functionGraphInvocation(given, STARTED)).toThrow(
      /give the function an agency \(context\.getSecurityAccessKey\)/,
    );
  });
});
