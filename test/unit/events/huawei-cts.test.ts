import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHuaweiAudit } from '../../../shared/events/huawei/cts';
import { parseRequest } from '../../../shared/requests';
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

const kindOf = (event: unknown) => parseHuaweiAudit(event)[0]?.kind;

describe('parseHuaweiAudit', () => {
  it('parses every CTS fixture into one result', () => {
    for (const name of FIXTURES) expect(parseHuaweiAudit(fixture(name)), name).toHaveLength(1);
  });

  it('turns attachAgencyPolicyV5 into detach-agency-policy (request as a JSON string)', () => {
    const [parse] = parseHuaweiAudit(fixture('huawei/cts-attach-agency-policy.composite.json'));
    const request = {
      provider: 'huawei',
      operation: 'detach-agency-policy',
      policyId: 'policy-0001',
      agencyId: 'agency-0001',
      account: 'd0d1d2d3d4d5d6d7d8d9dadbdcdddedf',
      source: 'huawei:cts',
      eventId: 'c0ffee00-0000-4000-8000-000000000001',
    };
    expect(parse).toEqual({ kind: 'remediate', item: { eventId: request.eventId, input: request } });
    expect(parseRequest(request)).toEqual({ ok: true, request });
  });

  it('reads a trace recorded on the agency: policy from resource_url, request as an object, numeric code', () => {
    const [parse] = parseHuaweiAudit(fixture('huawei/cts-attach-agency-policy-agency-resource.json'));
    const input = parse?.kind === 'remediate' ? parse.item.input : undefined;
    expect(input).toMatchObject({ policyId: 'a5c0e3f1-full-access', agencyId: '5b3e0c1f-ci-deployer' });
    expect(parseRequest(input).ok).toBe(true);
  });

  it('takes the policy from resource_url when resource_id is absent', () => {
    const [parse] = parseHuaweiAudit(withTrace({ resource_id: undefined }));
    expect(parse?.kind === 'remediate' && parse.item.input).toMatchObject({ policyId: 'policy-0001' });
  });

  it('passes an agency id that breaks the seed rules to the engine, which names the field', () => {
    const [parse] = parseHuaweiAudit(fixture('huawei/cts-attach-agency-policy-bad-ids.json'));
    expect(parse?.kind === 'remediate' && parseRequest(parse.item.input)).toMatchObject({
      ok: false,
      field: 'agencyId',
    });
  });

  it.each([
    ['huawei/cts-attach-agency-policy-failed.json', /failed call \(code 404\)/],
    ['huawei/cts-detach-agency-policy.json', /detach call "detachAgencyPolicyV5"/],
    ['huawei/cts-trigger.vendor.json', /"deleteGraph" is not an attach call/],
  ])('ignores %s with its reason', (name, reason) => {
    const [parse] = parseHuaweiAudit(fixture(name));
    expect(parse).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(reason) });
    expect(parse?.kind === 'ignored' && parse.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads the failure from the code (number or string) and from trace_rating or trace_status', () => {
    expect(kindOf(withTrace({ code: 403 }))).toBe('ignored');
    expect(kindOf(withTrace({ code: '500' }))).toBe('ignored');
    expect(kindOf(withTrace({ code: undefined, trace_rating: 'incident' }))).toBe('ignored');
    expect(kindOf(withTrace({ code: 'IAM.0004', trace_rating: undefined, trace_status: 'warning' }))).toBe(
      'ignored',
    );
    expect(kindOf(withTrace({ code: 201, trace_rating: undefined, trace_status: 'normal' }))).toBe(
      'remediate',
    );
    // A warning with a success status contradicts itself: the attach is taken as done and undone.
    expect(kindOf(withTrace({ code: '200', trace_rating: 'warning' }))).toBe('remediate');
  });

  it('accepts trace name synonyms, case-insensitively, and ignores read-only traces', () => {
    for (const trace_name of [
      'AttachAgencyPolicyV5',
      'attach_agency_policy_v5',
      'iam:agencies:attachPolicyV5',
    ])
      expect(kindOf(withTrace({ trace_name })), trace_name).toBe('remediate');
    expect(kindOf(withTrace({ trace_name: 'attachPolicyV5' }))).toBe('remediate'); // by its attach-agency URL
    expect(
      kindOf(withTrace({ trace_name: 'attachPolicyV5', resource_url: '/v5/policies/p/attach-user' })),
    ).toBe('ignored');
    expect(parseHuaweiAudit(withTrace({ read_only: 'true' }))[0]).toMatchObject({ reason: 'read call' });
  });

  it('never throws, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        for (const parse of parseHuaweiAudit(event)) {
          expect(['remediate', 'ignored']).toContain(parse.kind);
          if (parse.kind === 'remediate') expect(typeof parse.item.eventId).toBe('string');
        }
      }),
      FUZZ_RUNS,
    );
  });

  it('never turns an agency id with a forbidden character into a valid request (fuzz)', () => {
    const bad = awkwardString.filter((s) => !/^[A-Za-z0-9-]+$/.test(s));
    fc.assert(
      fc.property(bad, (agencyId) => {
        const [parse] = parseHuaweiAudit(withTrace({ request: JSON.stringify({ agency_id: agencyId }) }));
        expect(parse?.kind === 'remediate' && parseRequest(parse.item.input)).toMatchObject({
          ok: false,
          field: 'agencyId',
        });
      }),
      { numRuns: 100 },
    );
  });
});
