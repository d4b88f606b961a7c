import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTencentAudit } from '../../../shared/events/tencent/cloudaudit';
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
function withData(edit: Record<string, unknown>): Record<string, unknown> {
  const event = JSON.parse(fixtureText('tencent/eventbridge-cloudaudit-attachpolicy.composite.json'));
  Object.assign(event.data, edit);
  return event;
}

const first = (event: unknown) => parseTencentAudit(event)[0];
const hintOf = (event: unknown) => {
  const parse = first(event);
  return parse?.kind === 'hint' ? parse.hint : parse;
};

describe('parseTencentAudit', () => {
  it('parses every CloudAudit fixture into one result', () => {
    for (const name of FIXTURES) expect(parseTencentAudit(fixture(name)), name).toHaveLength(1);
  });

  it('reads target and policy of Organization AttachPolicy (parameters as a JSON string)', () => {
    expect(hintOf(fixture('tencent/eventbridge-cloudaudit-attachpolicy.composite.json'))).toEqual({
      provider: 'tencent',
      operation: 'detach-policy',
      targetId: 10001,
      targetType: 'NODE',
      policyId: 100001,
      type: 'SERVICE_CONTROL_POLICY',
    });
  });

  it('reads parameters given as an object with digit-string ids, as numbers', () => {
    expect(hintOf(fixture('tencent/eventbridge-cloudaudit-attachpolicy-member-object.json'))).toMatchObject({
      targetId: 100000000003,
      targetType: 'MEMBER',
      policyId: 100002,
    });
  });

  it('reads an ApiCall with requestParameters "" from resources / resourceName (issue 12.2)', () => {
    const event = withData({
      eventType: 'ApiCall',
      requestParameters: '',
      resources: JSON.stringify(['qcs::organization::uin/100000000001:node/1001']),
      resourceName: 'node/1001',
    });
    expect(hintOf(event)).toEqual({
      provider: 'tencent',
      operation: 'detach-policy',
      targetId: 1001,
      targetType: 'NODE',
    });
    const byPolicy = withData({
      requestParameters: '',
      resources: '["qcs::organization::uin/1:policy/100002"]',
    });
    expect(hintOf(byPolicy)).toEqual({ provider: 'tencent', operation: 'detach-policy', policyId: 100002 });
  });

  it('dead-letters an AttachPolicy naming nothing, and one with a malformed id', () => {
    expect(first(withData({ requestParameters: '' }))).toMatchObject({ kind: 'unreadable' });
    expect(first(fixture('tencent/eventbridge-cloudaudit-attachpolicy-bad-ids.json'))).toMatchObject({
      kind: 'unreadable',
      reason: expect.stringMatching(/TargetId/),
    });
  });

  it('reads every record of an EventList batch independently (issue 12.3)', () => {
    const good = withData({});
    const parses = parseTencentAudit({
      EventList: [
        good,
        'junk',
        withData({ eventID: 'e2', requestParameters: '' }),
        { ...good, data: { ...(good.data as object), eventID: 'e3' } },
      ],
    });
    expect(parses.map((p) => p.kind)).toEqual(['hint', 'ignored', 'unreadable', 'hint']);
  });

  it("ignores failed, read, detach calls and other products' AttachPolicy", () => {
    for (const name of FIXTURES.slice(3)) expect(first(fixture(name))?.kind, name).toBe('ignored');
    for (const errorCode of [0, '0']) expect(first(withData({ errorCode }))?.kind).toBe('hint');
    for (const errorCode of [1, 'FailedOperation'])
      expect(first(withData({ errorCode }))?.kind).toBe('ignored');
    const cam = {
      ...withData({ eventSource: 'cam.tencentcloudapi.com' }),
      source: 'cam.cloud.tencent',
      type: 'cam:CloudEvent:ApiCall',
    };
    expect(first(cam)?.kind).toBe('ignored');
  });

  it('ignores a record that is no object or has no text eventName, naming what it could not read', () => {
    const event = withData({});
    for (const [data, field] of [
      [undefined, '(record)'],
      ['text', '(record)'],
      [[1], '(record)'],
      [{ ...(event.data as object), eventName: 7 }, 'eventName'],
    ] as const) {
      expect(first({ ...event, data })).toEqual({
        kind: 'ignored',
        eventId: '13a3f42d-7258-4ada-da6d-023a33000001',
        reason: `CloudAudit record without a readable data.${field}`,
      });
    }
  });

  it('reads an id, actionType or userIdentity of the wrong kind as absent, never as a failure', () => {
    const odd = first(
      withData({
        eventID: { no: 1 },
        actionType: 5,
        userIdentity: 'CAMUser',
        requestParameters: '{"TargetId":1}',
      }),
    );
    expect(odd).toMatchObject({ kind: 'hint', eventId: '13a3f42d-7258-4ada-da6d-023a33000001' });
    expect(odd).not.toHaveProperty('account', expect.anything());
    expect(first(withData({ eventID: 42, userIdentity: { ownerUin: 100000000001 } }))).toMatchObject({
      kind: 'hint',
      eventId: '42',
      account: '100000000001',
    });
    const envelope = { ...withData({ eventID: undefined }), id: ['x'], source: 9 };
    expect(first(envelope)).toMatchObject({ kind: 'hint', eventId: expect.stringMatching(/^cloudaudit/) });
  });

  it('loads no zod: a cold start reads its event without building a schema', () => {
    const script = `require('./shared/events/tencent/cloudaudit.ts');
process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((m) => m.includes('/node_modules/zod/'))));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });

  it('never throws, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        for (const parse of parseTencentAudit(event))
          expect(['hint', 'ignored', 'unreadable']).toContain(parse.kind);
      }),
      FUZZ_RUNS,
    );
  });

  it('never reads a non-integer id as a target (fuzz)', () => {
    const bad = awkwardString.filter((s) => s !== '' && !/^\d{1,16}$/.test(s));
    fc.assert(
      fc.property(bad, (targetId) => {
        const parse = first(
          withData({ requestParameters: JSON.stringify({ TargetId: targetId, PolicyId: 1 }) }),
        );
        expect(parse?.kind).toBe('unreadable');
      }),
      { numRuns: 100 },
    );
  });
});
