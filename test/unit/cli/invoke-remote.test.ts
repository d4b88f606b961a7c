import { describe, expect, it } from 'vitest';
import { fcEndpoint, parseFcTarget } from '../../../cli/invoke/remote';
import { readEnvironment } from '../../../shared/config/environment';

describe('remediate invoke --fc target and endpoint', () => {
  it('parses ACCOUNT/SERVICE[.QUALIFIER]/FUNCTION', () => {
    expect(parseFcTarget('1234567890123456/remediate/audit-log')).toEqual({
      account: '1234567890123456',
      service: 'remediate',
      function: 'audit-log',
      qualifier: undefined,
    });
    expect(parseFcTarget('1/svc_1.prod/fn')).toMatchObject({ service: 'svc_1', qualifier: 'prod' });
  });

  it.each([
    ['1/svc', /must be ACCOUNT\/SERVICE\/FUNCTION/],
    ['1/svc/fn/extra', /must be ACCOUNT\/SERVICE\/FUNCTION/],
    ['acme/svc/fn', /the account 'acme' must be an account id/],
    ['1/-svc/fn', /the service '-svc' must be/],
    ['1/svc/fn!', /the function 'fn!' must be/],
    [`1/svc/${'f'.repeat(65)}`, /the function/],
    ['1/svc.a b/fn', /the qualifier 'a b'/],
  ])('refuses %s', (value, message) => {
    expect(() => parseFcTarget(value)).toThrow(message);
  });

  it('derives https://ACCOUNT.REGION.fc.aliyuncs.com, or takes REMEDIATE_ALIBABA_ENDPOINT', () => {
    const target = parseFcTarget('1234567890123456/remediate/audit-log');
    expect(fcEndpoint(target, readEnvironment({}), {})).toBe(
      'https://1234567890123456.cn-hangzhou.fc.aliyuncs.com',
    );
    expect(fcEndpoint(target, readEnvironment({}), { ALIBABA_CLOUD_REGION_ID: 'ap-southeast-1' })).toBe(
      'https://1234567890123456.ap-southeast-1.fc.aliyuncs.com',
    );
    const env = { REMEDIATE_ALIBABA_ENDPOINT: 'http://127.0.0.1:4600' };
    expect(fcEndpoint(target, readEnvironment(env), env)).toBe('http://127.0.0.1:4600');
    expect(() => fcEndpoint(target, readEnvironment({}), { ALIBABA_CLOUD_REGION_ID: 'evil.com/x' })).toThrow(
      /ALIBABA_CLOUD_REGION_ID: 'evil.com\/x' is not a region id/,
    );
  });
});
