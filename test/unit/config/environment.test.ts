import { describe, expect, it } from 'vitest';
import { credentialsFromEnvironment, endpointFor, readEnvironment } from '../../../shared/config/environment';

describe('readEnvironment', () => {
  it('applies the documented defaults', () => {
    // The per-user store, unless the working directory has its own .remediate/ (test/integration/state/open).
    expect(readEnvironment({ HOME: '/home/someone' }, '/nonexistent')).toMatchObject({
      REMEDIATE_STATE: 'sqlite:/home/someone/.remediate/state.db',
      REMEDIATE_DEADLINE_MS: 60_000,
      REMEDIATE_DRY_RUN: false,
      LOG_LEVEL: 'info',
    });
  });

  it('reads endpoints, dry-run and the deadline', () => {
    const env = readEnvironment({
      REMEDIATE_TENCENT_ENDPOINT: 'http://127.0.0.1:4600',
      REMEDIATE_DRY_RUN: 'true',
      REMEDIATE_DEADLINE_MS: '1500',
    });
    expect(endpointFor('tencent', env)).toBe('http://127.0.0.1:4600');
    expect(endpointFor('alibaba', env)).toBeUndefined();
    expect(env.REMEDIATE_DRY_RUN).toBe(true);
    expect(env.REMEDIATE_DEADLINE_MS).toBe(1500);
  });

  it.each([
    [{ REMEDIATE_HUAWEI_ENDPOINT: 'iam.example.com' }, /REMEDIATE_HUAWEI_ENDPOINT: must/],
    [
      { REMEDIATE_HUAWEI_ENDPOINT: 'ftp://iam.example.com' },
      /REMEDIATE_HUAWEI_ENDPOINT: must start with http/,
    ],
    [{ REMEDIATE_DEADLINE_MS: '0' }, /REMEDIATE_DEADLINE_MS: must be a positive whole number/],
    [{ REMEDIATE_DRY_RUN: 'yes' }, /REMEDIATE_DRY_RUN/],
    [{ REMEDIATE_STATE: 'postgres://x' }, /REMEDIATE_STATE: must be memory, sqlite:PATH or redis/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => readEnvironment(env)).toThrow(message);
  });
});

describe('credentialsFromEnvironment', () => {
  it('reads each vendor’s standard variables, token included', () => {
    expect(
      credentialsFromEnvironment('huawei', {
        HUAWEICLOUD_SDK_AK: 'ak',
        HUAWEICLOUD_SDK_SK: 'sk',
        HUAWEICLOUD_SDK_SECURITY_TOKEN: 'tok',
      }),
    ).toEqual({ accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'tok' });
    expect(
      credentialsFromEnvironment('tencent', { TENCENTCLOUD_SECRETID: 'id', TENCENTCLOUD_SECRETKEY: 'key' }),
    ).toEqual({
      accessKeyId: 'id',
      accessKeySecret: 'key',
      securityToken: undefined,
    });
  });

  it('names the variables to set, never echoing a value', () => {
    expect(() =>
      credentialsFromEnvironment('alibaba', { ALIBABA_CLOUD_ACCESS_KEY_ID: 'visible-id' }),
    ).toThrow(/set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
  });
});
