import { describe, expect, test } from 'vitest';
import { fcEventPayload, fcInvocation } from '../../../shared/platform/fc/invocation';
import { DEADLINE_MARGIN_MS, MissingCredentialsError } from '../../../shared/platform/platform';

const STARTED = 1_700_000_000_000;
const credentials = { accessKeyId: 'STS.role', accessKeySecret: 'role-secret', securityToken: 'role-token' };

/** The FC 3.0 Node.js context, as the runtime passes it (docs/sources.md, Handler context objects). */
const context = (overrides: Record<string, unknown> = {}) => ({
  requestId: 'req-1',
  credentials,
  function: { name: 'audit-log', handler: 'index.handler', memory: 256, timeout: 30 },
  service: { name: 'remediate' },
  region: 'cn-hangzhou',
  accountId: '1234567890123456',
  ...overrides,
});

describe('Function Compute 3.0 adapter', () => {
  test('takes the role credentials from context.credentials, token included', () => {
    const invocation = fcInvocation(context(), STARTED);
    expect(invocation).toMatchObject({ provider: 'alibaba', requestId: 'req-1', credentials });
  });

  test('the account the budgets count against is context.accountId, never an event field', () => {
    expect(fcInvocation(context(), STARTED).account).toBe('1234567890123456');
    expect(fcInvocation(context({ accountId: 1234 }), STARTED).account).toBe('1234');
    // Absent or malformed: the engine asks STS GetCallerIdentity instead.
    expect(fcInvocation(context({ accountId: undefined }), STARTED).account).toBeUndefined();
    expect(fcInvocation(context({ accountId: 'x y' }), STARTED).account).toBeUndefined();
  });

  test('the security token is optional: absent or empty means none', () => {
    const { securityToken: _, ...permanent } = credentials;
    expect(fcInvocation(context({ credentials: permanent }), STARTED).credentials).toEqual(permanent);
    expect(
      fcInvocation(context({ credentials: { ...credentials, securityToken: '' } }), STARTED).credentials,
    ).toEqual({ ...permanent, securityToken: undefined });
  });

  test('the deadline is the configured time-out from the start, less the margin', () => {
    expect(fcInvocation(context(), STARTED).deadline).toBe(STARTED + 30_000 - DEADLINE_MARGIN_MS);
    // No time-out in the context: FC's default of 60 s.
    expect(fcInvocation(context({ function: { name: 'f' } }), STARTED).deadline).toBe(
      STARTED + 60_000 - DEADLINE_MARGIN_MS,
    );
    // A time-out shorter than the margin still leaves a second to work in.
    expect(fcInvocation(context({ function: { timeout: 1 } }), STARTED).deadline).toBe(STARTED + 1_000);
  });

  test('a context without the request id still gives an invocation', () => {
    expect(fcInvocation(context({ requestId: undefined }), STARTED).requestId).toBe('unknown');
  });

  test.each([
    ['no context', undefined],
    ['no credentials (the function has no role)', context({ credentials: undefined })],
    ['an empty secret', context({ credentials: { ...credentials, accessKeySecret: '' } })],
    ['no access key id', context({ credentials: { accessKeySecret: 'x' } })],
  ])('%s: MissingCredentialsError naming the role', (_name, given) => {
    expect(() => fcInvocation(given, STARTED)).toThrow(MissingCredentialsError);
    expect(() => fcInvocation(given, STARTED)).toThrow(/give the function a role \(context\.credentials\)/);
    try {
      fcInvocation(given, STARTED);
    } catch (error) {
      expect((error as Error).name).toBe('MissingCredentialsError');
    }
  });
});

describe('FC event payload', () => {
  test('FC hands the event over as a Buffer of JSON', () => {
    expect(fcEventPayload(Buffer.from('{"a":[1,2]}'))).toEqual({ a: [1, 2] });
  });

  test('local callers may pass the JSON text or the object itself', () => {
    expect(fcEventPayload('{"a":1}')).toEqual({ a: 1 });
    const event = { a: 1 };
    expect(fcEventPayload(event)).toBe(event);
  });

  test('a payload that is not JSON is handed on as text, for the parser to refuse', () => {
    expect(fcEventPayload(Buffer.from('Hello FC!'))).toBe('Hello FC!');
  });
});
