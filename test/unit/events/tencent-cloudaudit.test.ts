import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTencentAudit } from '../../../shared/events/tencent/cloudaudit';
import { parseRequest } from '../../../shared/requests';
import { awkwardString, FUZZ_RUNS, fixture, fixtureText, fuzzInputs } from './helpers';

const FIXTURES = [
  'tencent/eventbridge-cloudaudit-attachpolicy.composite.json',
  'tencent/eventbridge-cloudaudit-attachpolicy-member-object.json',
  'tencent/eventbridge-cloudaudit-attachpolicy-bad-ids.json',
  'tencent/eventbridge-cloudaudit-attachpolicy-failed.json',
  'tencent/eventbridge-cloudaudit-describepolicy-read.json',
  'tencent/eventbridge-cloudaudit-detachpolicy.json',
];

/** The composite sample with its `data` edited. */
function withData(edit: Record<string, unknown>): unknown {
  const event = JSON.parse(fixtureText('tencent/eventbridge-cloudaudit-attachpolicy.composite.json'));
  Object.assign(event.data, edit);
  return event;
}

describe('parseTencentAudit', () => {
  it('parses every CloudAudit fixture into one result', () => {
    for (const name of FIXTURES) expect(parseTencentAudit(fixture(name)), name).toHaveLength(1);
  });

  it('turns Organization AttachPolicy (parameters as a JSON string) into detach-policy', () => {
    const [parse] = parseTencentAudit(fixture('tencent/eventbridge-cloudaudit-attachpolicy.composite.json'));
    const request = {
      provider: 'tencent',
      operation: 'detach-policy',
      policyId: 100001,
      targetId: 10001,
      targetType: 'NODE',
      type: 'SERVICE_CONTROL_POLICY',
      account: '100000000001',
      source: 'tencent:cloudaudit',
      eventId: '5f0e3c1a-0000-4000-8000-000000000001',
    };
    expect(parse).toEqual({ kind: 'remediate', item: { eventId: request.eventId, input: request } });
    expect(parseRequest(request)).toEqual({ ok: true, request });
  });

  it('reads parameters given as an object with digit-string ids, as numbers (sandbox ids)', () => {
    const [parse] = parseTencentAudit(
      fixture('tencent/eventbridge-cloudaudit-attachpolicy-member-object.json'),
    );
    const input = parse?.kind === 'remediate' ? parse.item.input : undefined;
    expect(input).toEqual({
      provider: 'tencent',
      operation: 'detach-policy',
      policyId: 100002,
      targetId: 100000000003,
      targetType: 'MEMBER',
      account: '100000000001',
      source: 'tencent:cloudaudit',
      eventId: '5f0e3c1a-0000-4000-8000-000000000002',
    });
    // No Type in the call: the request takes the API's default.
    expect(parseRequest(input)).toMatchObject({ ok: true, request: { type: 'SERVICE_CONTROL_POLICY' } });
  });

  it('leaves an id that is not an integer as it is, for the engine to reject naming the field', () => {
    const [parse] = parseTencentAudit(fixture('tencent/eventbridge-cloudaudit-attachpolicy-bad-ids.json'));
    const input = parse?.kind === 'remediate' ? parse.item.input : undefined;
    expect(input).toMatchObject({ targetId: 'node-1001', policyId: 100001 });
    expect(parseRequest(input)).toMatchObject({ ok: false, field: 'targetId' });
  });

  it.each([
    [
      'tencent/eventbridge-cloudaudit-attachpolicy-failed.json',
      /failed call.*OrganizationPolicyIsNotEnabled/,
    ],
    ['tencent/eventbridge-cloudaudit-describepolicy-read.json', /read call/],
    ['tencent/eventbridge-cloudaudit-detachpolicy.json', /detach call "DetachPolicy"/],
  ])('ignores %s with its reason', (name, reason) => {
    const [parse] = parseTencentAudit(fixture(name));
    expect(parse).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(reason) });
    expect(parse?.kind === 'ignored' && parse.eventId).toMatch(/^5f0e3c1a-/);
  });

  it('treats errorCode 0 / "0" as success and any other code as a failed call', () => {
    expect(parseTencentAudit(withData({ errorCode: '0', apiErrorCode: 0 }))[0]?.kind).toBe('remediate');
    expect(parseTencentAudit(withData({ errorCode: 403 }))[0]).toMatchObject({
      reason: 'failed call (errorCode "403")',
    });
  });

  it('ignores other events and other types', () => {
    expect(parseTencentAudit(withData({ eventName: 'CreatePolicy' }))[0]).toMatchObject({
      kind: 'ignored',
      reason: 'event "CreatePolicy" is not an attach call we undo',
    });
    const cos = {
      specversion: '1.0',
      id: 'x',
      type: 'cos:created:object',
      source: 'cos.cloud.tencent',
      data: {},
    };
    expect(parseTencentAudit(cos)[0]).toMatchObject({ kind: 'ignored', eventId: 'x' });
    expect(parseTencentAudit({ Records: [] })[0]?.kind).toBe('ignored');
  });

  it('never throws, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        for (const parse of parseTencentAudit(event)) {
          expect(['remediate', 'ignored']).toContain(parse.kind);
          if (parse.kind === 'remediate') expect(typeof parse.item.eventId).toBe('string');
        }
      }),
      FUZZ_RUNS,
    );
  });

  it('never turns a non-integer id into a valid request (fuzz)', () => {
    const notDigits = awkwardString.filter((s) => !/^\d+$/.test(s));
    fc.assert(
      fc.property(notDigits, (policyId) => {
        const [parse] = parseTencentAudit(
          withData({ requestParameters: { TargetId: 1001, TargetType: 'NODE', policyId } }),
        );
        const input = parse?.kind === 'remediate' ? parse.item.input : undefined;
        expect(parseRequest(input)).toMatchObject({ ok: false, field: 'policyId' });
      }),
      { numRuns: 100 },
    );
  });
});
