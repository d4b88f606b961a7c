import { describe, expect, test } from 'vitest';
import { DEADLINE_MARGIN_MS, MissingCredentialsError } from '../../../shared/platform/platform';
import { scfInvocation } from '../../../shared/platform/scf/invocation';

const STARTED = 1_700_000_000_000;

/** SCF puts the execution role's temporary credentials in the environment, not in the context. */
const env = (overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  TENCENTCLOUD_SECRETID: 'AKIDrole',
  TENCENTCLOUD_SECRETKEY: 'role-secret',
  TENCENTCLOUD_SESSIONTOKEN: 'role-token',
  ...overrides,
});

/**
 * The SCF Node.js context (docs/sources.md, Handler context objects): request_id, time_limit_in_ms,
 * getRemainingTimeInMillis().
 */
const context = (remainingMs: number | undefined, overrides: Record<string, unknown> = {}) => ({
  request_id: 'scf-req-1',
  function_name: 'audit-log',
  memory_limit_in_mb: 128,
  time_limit_in_ms: 30_000,
  ...(remainingMs === undefined ? {} : { getRemainingTimeInMillis: () => remainingMs }),
  ...overrides,
});

describe('SCF adapter', () => {
  test('takes the credentials from TENCENTCLOUD_SECRETID / SECRETKEY / SESSIONTOKEN', () => {
    expect(scfInvocation(context(20_000), env(), STARTED)).toMatchObject({
      provider: 'tencent',
      requestId: 'scf-req-1',
      credentials: { accessKeyId: 'AKIDrole', accessKeySecret: 'role-secret', securityToken: 'role-token' },
    });
  });

  test('the account is the context tencentcloud_uin, else TENCENTCLOUD_UIN, else unknown (asked of STS)', () => {
    const uin = { tencentcloud_uin: '100000000001' };
    expect(scfInvocation(context(20_000, uin), env(), STARTED).account).toBe('100000000001');
    expect(scfInvocation(context(20_000), env({ TENCENTCLOUD_UIN: '100000000002' }), STARTED).account).toBe(
      '100000000002',
    );
    expect(
      scfInvocation(context(20_000, { tencentcloud_uin: 'abc' }), env(), STARTED).account,
    ).toBeUndefined();
  });

  test('the session token is optional: unset or empty means none', () => {
    for (const token of [undefined, '']) {
      const { credentials } = scfInvocation(
        context(20_000),
        env({ TENCENTCLOUD_SESSIONTOKEN: token }),
        STARTED,
      );
      expect(credentials).toEqual({
        accessKeyId: 'AKIDrole',
        accessKeySecret: 'role-secret',
        securityToken: undefined,
      });
    }
  });

  test('reads process.env by default', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, env({ TENCENTCLOUD_SECRETID: 'AKIDfromProcess' }));
      expect(scfInvocation(context(20_000)).credentials.accessKeyId).toBe('AKIDfromProcess');
    } finally {
      for (const name of Object.keys(env())) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  test('the deadline is the remaining time less the margin', () => {
    expect(scfInvocation(context(20_000), env(), STARTED).deadline).toBe(
      STARTED + 20_000 - DEADLINE_MARGIN_MS,
    );
  });

  test('without getRemainingTimeInMillis, the time limit; without either, 60 s', () => {
    expect(scfInvocation(context(undefined), env(), STARTED).deadline).toBe(
      STARTED + 30_000 - DEADLINE_MARGIN_MS,
    );
    expect(scfInvocation({}, env(), STARTED).deadline).toBe(STARTED + 60_000 - DEADLINE_MARGIN_MS);
  });

  test('a remaining time of zero or less falls back to the limit; a short one still leaves a second', () => {
    expect(scfInvocation(context(0), env(), STARTED).deadline).toBe(STARTED + 30_000 - DEADLINE_MARGIN_MS);
    expect(scfInvocation(context(-5), env(), STARTED).deadline).toBe(STARTED + 30_000 - DEADLINE_MARGIN_MS);
    expect(scfInvocation(context(1_200), env(), STARTED).deadline).toBe(STARTED + 1_000);
  });

  test('a request id that is not text is "unknown"', () => {
    expect(scfInvocation(context(20_000, { request_id: 42 }), env(), STARTED).requestId).toBe('unknown');
  });

  test.each([
    ['no variables', {}],
    ['no secret key', { TENCENTCLOUD_SECRETID: 'AKIDrole' }],
    ['an empty secret id', env({ TENCENTCLOUD_SECRETID: '' })],
  ])('%s: MissingCredentialsError naming the variables', (_name, given) => {
    expect(() => scfInvocation(context(20_000), given, STARTED)).toThrow(MissingCredentialsError);
    expect(() => scfInvocation(context(20_000), given, STARTED)).toThrow(
      /execution role \(TENCENTCLOUD_SECRETID\/SECRETKEY\)/,
    );
  });
});
