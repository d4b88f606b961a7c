import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHuaweiAudit } from '../../../shared/events/huawei/cts';
import { awkwardString, FUZZ_RUNS, fixture, fixtureText, fuzzInputs } from './helpers';

const FIXTURES = [
  'huawei/cts-attach-agency-policy.composite.json',
  'huawei/cts-attach-agency-policy-agency-resource.json',
  'huawei/cts-attach-agency-policy-bad-ids.json',
  'huawei/cts-attach-agency-policy-failed.json',
  'huawei/cts-detach-agency-policy.json',
  'huawei/cts-trigger.vendor.json',
];

/** The composite sample with its trace edited. */
function withTrace(edit: Record<string, unknown>): unknown {
  const event = JSON.parse(fixtureText('huawei/cts-attach-agency-policy.composite.json'));
  Object.assign(event.cts, edit);
  return event;
}

const first = (event: unknown) => parseHuaweiAudit(event)[0];
const hintOf = (event: unknown) => {
  const parse = first(event);
  return parse?.kind === 'hint' ? parse.hint : parse;
};

describe('parseHuaweiAudit', () => {
  it('parses every CTS fixture into one result', () => {
    for (const name of FIXTURES) expect(parseHuaweiAudit(fixture(name)), name).toHaveLength(1);
  });

  it('reads the agency and policy of attachAgencyPolicyV5 (request as a JSON string)', () => {
    expect(first(fixture('huawei/cts-attach-agency-policy.composite.json'))).toEqual({
      kind: 'hint',
      eventId: 'c0ffee00-0000-4000-8000-000000000001',
      hint: {
        provider: 'huawei',
        operation: 'detach-agency-policy',
        agency: 'agency-0001',
        policyId: 'policy-0001',
      },
      account: 'd0d1d2d3d4d5d6d7d8d9dadbdcdddedf',
    });
  });

  it('reads a trace recorded on the agency (resource type agency), request as an object', () => {
    expect(hintOf(fixture('huawei/cts-attach-agency-policy-agency-resource.json'))).toEqual({
      provider: 'huawei',
      operation: 'detach-agency-policy',
      agency: '5b3e0c1f-ci-deployer',
      policyId: 'a5c0e3f1-full-access',
    });
  });

  it('reads the agency alone from a trace with empty request/response and no resource_url (issue 12.1)', () => {
    const event = withTrace({
      request: {},
      response: {},
      resource_url: undefined,
      endpoint: undefined,
      request_id: undefined,
      resource_type: 'agency',
      resource_id: 'external-auditor',
      code: 0,
    });
    expect(hintOf(event)).toEqual({
      provider: 'huawei',
      operation: 'detach-agency-policy',
      agency: 'external-auditor',
    });
  });

  it('dead-letters an attach trace naming neither agency nor policy, and one with a malformed agency', () => {
    const none = first(
      withTrace({
        request: {},
        resource_url: undefined,
        resource_id: undefined,
        resource_name: undefined,
        resource_type: 'agency',
      }),
    );
    expect(none).toMatchObject({
      kind: 'unreadable',
      reason: expect.stringMatching(/names neither agency nor policy/),
    });
    // `agency_0001` breaks the seed's id rule but is a valid agency name: read, and resolved by name.
    expect(hintOf(fixture('huawei/cts-attach-agency-policy-bad-ids.json'))).toMatchObject({
      agency: 'agency_0001',
    });
    expect(first(withTrace({ request: { agency_id: 'agency 0001' } }))).toMatchObject({ kind: 'unreadable' });
  });

  it("ignores failed, read, detach and other services' traces", () => {
    for (const name of [
      'huawei/cts-attach-agency-policy-failed.json',
      'huawei/cts-detach-agency-policy.json',
    ])
      expect(first(fixture(name))?.kind, name).toBe('ignored');
    expect(first(withTrace({ read_only: 'true' }))).toMatchObject({ reason: 'read call' });
    expect(first(withTrace({ service_type: 'FunctionGraph' }))?.kind).toBe('ignored');
    for (const code of [403, '500']) expect(first(withTrace({ code }))?.kind).toBe('ignored');
    expect(first(withTrace({ trace_rating: 'warning', code: undefined }))?.kind).toBe('ignored');
  });

  it('never throws, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        for (const parse of parseHuaweiAudit(event))
          expect(['hint', 'ignored', 'unreadable']).toContain(parse.kind);
      }),
      FUZZ_RUNS,
    );
  });

  it('never passes an agency with a forbidden character on to a read (fuzz)', () => {
    const bad = awkwardString.filter((s) => s !== '' && !/^[A-Za-z0-9+=,.@_-]{1,64}$/.test(s));
    fc.assert(
      fc.property(bad, (agency) => {
        const parse = first(withTrace({ request: JSON.stringify({ agency_id: agency }) }));
        expect(parse?.kind).toBe('unreadable');
      }),
      { numRuns: 100 },
    );
  });
});
