import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAlibabaAudit } from '../../../shared/events/alibaba/actiontrail';
import { awkwardString, FUZZ_RUNS, fixture, fixtureText, fuzzInputs } from './helpers';

const FIXTURES = [
  'alibaba/eventbridge-actiontrail-attachpolicy.composite.json',
  'alibaba/eventbridge-actiontrail-attachcontrolpolicy.composite.json',
  'alibaba/eventbridge-actiontrail-ecs-deletedisk.vendor.json',
  'alibaba/eventbridge-actiontrail-attachpolicy-failed.json',
  'alibaba/eventbridge-actiontrail-attachpolicy-bad-ids.json',
  'alibaba/eventbridge-actiontrail-listpolicyattachments-read.json',
  'alibaba/eventbridge-actiontrail-detachpolicy.json',
  'alibaba/eventbridge-actiontrail-batch.json',
  'alibaba/eventstream-rawdata-attachcontrolpolicy.json',
];

/** The AttachPolicy composite with its `data` edited. */
function withData(
  edit: Record<string, unknown>,
  envelope: Record<string, unknown> = {},
): Record<string, unknown> {
  const event = JSON.parse(fixtureText('alibaba/eventbridge-actiontrail-attachpolicy.composite.json'));
  Object.assign(event.data, edit);
  return Object.assign(event, envelope);
}

const first = (event: unknown) => parseAlibabaAudit(event)[0];
const hintOf = (event: unknown) => {
  const parse = first(event);
  return parse?.kind === 'hint' ? parse.hint : parse;
};

describe('parseAlibabaAudit', () => {
  it('parses every ActionTrail fixture into one result per record', () => {
    for (const name of FIXTURES) {
      const event = fixture(name);
      expect(parseAlibabaAudit(event), name).toHaveLength(Array.isArray(event) ? event.length : 1);
    }
  });

  it('reads resource group, principal and policy of Resource Manager AttachPolicy', () => {
    expect(first(fixture('alibaba/eventbridge-actiontrail-attachpolicy.composite.json'))).toEqual({
      kind: 'hint',
      eventId: 'b4e23d3c-9ba7-441e-ad25-04dd2d0a0001',
      hint: {
        provider: 'alibaba',
        operation: 'detach-policy',
        resourceGroupId: 'rg-aek2xxxx0001',
        principalType: 'IMSUser',
        principalName: 'mallory@demo.onaliyun.com',
        policyType: 'System',
        policyName: 'AdministratorAccess',
      },
      account: '1234567890980001',
    });
  });

  it('reads target and control policy of AttachControlPolicy, also from a RawData record in a Buffer', () => {
    expect(hintOf(fixture('alibaba/eventbridge-actiontrail-attachcontrolpolicy.composite.json'))).toEqual({
      provider: 'alibaba',
      operation: 'detach-control-policy',
      targetId: 'fd-ZDNPiT0001',
      policyId: 'cp-jExXAqIYkwHN0001',
    });
    const raw = Buffer.from(fixtureText('alibaba/eventstream-rawdata-attachcontrolpolicy.json'));
    expect(parseAlibabaAudit(raw).every((p) => p.kind === 'hint')).toBe(true);
  });

  it('reads RAM AttachPolicyToUser/Group/Role as account-wide grants (issue 12.4)', () => {
    const ram = (eventName: string, params: Record<string, unknown>) =>
      hintOf(
        withData(
          {
            eventName,
            serviceName: 'Ram',
            eventSource: 'ram.aliyuncs.com',
            requestParameters: { PolicyType: 'System', PolicyName: 'AdministratorAccess', ...params },
          },
          { source: 'acs.ram', type: 'ram:ActionTrail:ApiCall' },
        ),
      );
    expect(ram('AttachPolicyToUser', { UserName: 'mallory' })).toEqual({
      provider: 'alibaba',
      operation: 'detach-policy',
      resourceGroupId: '1234567890980001',
      principalType: 'IMSUser',
      principalShortName: 'mallory',
      policyType: 'System',
      policyName: 'AdministratorAccess',
    });
    expect(ram('AttachPolicyToGroup', { GroupName: 'ops' })).toMatchObject({
      principalType: 'IMSGroup',
      principalShortName: 'ops',
    });
    expect(ram('AttachPolicyToRole', { RoleName: 'ci' })).toMatchObject({
      principalType: 'ServiceRole',
      principalShortName: 'ci',
    });
  });

  it("ignores the Tag service's AttachPolicy by its service, without a dead letter (issue 12.4)", () => {
    const tag = withData(
      {
        serviceName: 'Tag',
        eventSource: 'tag.aliyuncs.com',
        requestParameters: { PolicyId: 'p-1', TargetId: '123', TargetType: 'ACCOUNT' },
      },
      { source: 'acs.tag', type: 'tag:ActionTrail:ApiCall' },
    );
    expect(first(tag)).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/service "Tag"/) });
  });

  it('dead-letters an AttachPolicy without resource group, and one with malformed ids', () => {
    expect(first(withData({ requestParameters: { PolicyName: 'AdministratorAccess' } }))).toMatchObject({
      kind: 'unreadable',
    });
    expect(first(fixture('alibaba/eventbridge-actiontrail-attachpolicy-bad-ids.json'))?.kind).toBe(
      'unreadable',
    );
  });

  it('ignores failed, read and detach calls and other events', () => {
    for (const name of FIXTURES.slice(2, 7).filter((n) => !n.includes('bad-ids')))
      expect(first(fixture(name))?.kind, name).toBe('ignored');
  });

  it('never throws, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        for (const parse of parseAlibabaAudit(event))
          expect(['hint', 'ignored', 'unreadable']).toContain(parse.kind);
      }),
      FUZZ_RUNS,
    );
  });

  it('never passes an id with a forbidden character on to a read (fuzz)', () => {
    const bad = awkwardString.filter((s) => s !== '' && !/^(rg-[A-Za-z0-9]{1,64}|\d{1,32})$/.test(s));
    fc.assert(
      fc.property(bad, (resourceGroupId) => {
        const parse = first(
          withData({ requestParameters: { ResourceGroupId: resourceGroupId, PolicyName: 'X' } }),
        );
        expect(parse?.kind).toBe('unreadable');
      }),
      { numRuns: 100 },
    );
  });
});
