import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAlibabaAudit } from '../../../shared/events/alibaba/actiontrail';
import type { AuditParse } from '../../../shared/events/types';
import { parseRequest } from '../../../shared/requests';
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

const inputs = (parses: AuditParse[]) => parses.map((p) => (p.kind === 'remediate' ? p.item.input : p));

describe('parseAlibabaAudit', () => {
  it('parses every ActionTrail fixture into one result per record', () => {
    for (const name of FIXTURES) {
      const event = fixture(name);
      expect(parseAlibabaAudit(event), name).toHaveLength(Array.isArray(event) ? event.length : 1);
    }
  });

  it('turns AttachPolicy into the detach-policy request that undoes it', () => {
    const [parse] = parseAlibabaAudit(fixture('alibaba/eventbridge-actiontrail-attachpolicy.composite.json'));
    const request = {
      provider: 'alibaba',
      operation: 'detach-policy',
      resourceGroupId: 'rg-aek2xxxx0001',
      policyType: 'System',
      policyName: 'AdministratorAccess',
      principalType: 'IMSUser',
      principalName: 'mallory@demo.onaliyun.com',
      account: '1234567890980001',
      source: 'alibaba:actiontrail',
      eventId: 'b4e23d3c-9ba7-441e-ad25-04dd2d0a0001',
    };
    expect(parse).toEqual({ kind: 'remediate', item: { eventId: request.eventId, input: request } });
    expect(parseRequest(request)).toEqual({ ok: true, request });
  });

  it('turns AttachControlPolicy into detach-control-policy', () => {
    const [parse] = parseAlibabaAudit(
      fixture('alibaba/eventbridge-actiontrail-attachcontrolpolicy.composite.json'),
    );
    const request = {
      provider: 'alibaba',
      operation: 'detach-control-policy',
      policyId: 'cp-jExXAqIYkwHN0001',
      targetId: 'fd-ZDNPiT0001',
      account: '1234567890980001',
      source: 'alibaba:actiontrail',
      eventId: 'b4e23d3c-9ba7-441e-ad25-04dd2d0a0002',
    };
    expect(parse).toEqual({ kind: 'remediate', item: { eventId: request.eventId, input: request } });
    expect(parseRequest(request).ok).toBe(true);
  });

  it('reads a batch: a console operation with requestParameterJson, sandbox ids, a service event', () => {
    const parses = parseAlibabaAudit(fixture('alibaba/eventbridge-actiontrail-batch.json'));
    const [, , serviceEvent] = parses;
    const requests = inputs(parses.slice(0, 2));
    expect(requests).toMatchObject([
      {
        resourceGroupId: 'rg-aek2prod7xk3q',
        principalName: 'mallory@corp.onaliyun.com',
        policyType: 'System',
      },
      { policyId: 'cp-FullAliyunAccess', targetId: 'fd-Prod0001' },
    ]);
    for (const input of requests) expect(parseRequest(input).ok).toBe(true);
    expect(serviceEvent).toMatchObject({
      kind: 'ignored',
      reason: expect.stringContaining('AliyunServiceEvent'),
    });
  });

  it('reads the bare records of an event stream with the RawData schema, from a Buffer as FC hands it over', () => {
    const buffer = Buffer.from(fixtureText('alibaba/eventstream-rawdata-attachcontrolpolicy.json'));
    const [parse] = parseAlibabaAudit(buffer);
    expect(parse?.kind === 'remediate' && parse.item.input).toMatchObject({
      policyId: 'cp-DenyRegions00001',
      targetId: '2234567890123456',
      eventId: 'b4e23d3c-9ba7-441e-ad25-04dd2d0a0009',
    });
  });

  it('passes ids that break the seed rules to the engine, which names the field', () => {
    const [parse] = parseAlibabaAudit(fixture('alibaba/eventbridge-actiontrail-attachpolicy-bad-ids.json'));
    expect(parse?.kind).toBe('remediate');
    expect(parse?.kind === 'remediate' && parseRequest(parse.item.input)).toMatchObject({
      ok: false,
      field: 'policyName',
    });
  });

  it.each([
    [
      'alibaba/eventbridge-actiontrail-attachpolicy-failed.json',
      /failed call.*EntityNotExists\.ResourceGroup/,
    ],
    ['alibaba/eventbridge-actiontrail-listpolicyattachments-read.json', /read call/],
    ['alibaba/eventbridge-actiontrail-detachpolicy.json', /detach call "DetachPolicy"/],
    ['alibaba/eventbridge-actiontrail-ecs-deletedisk.vendor.json', /"DeleteDisk" is not an attach call/],
  ])('ignores %s with its reason', (name, reason) => {
    const [parse] = parseAlibabaAudit(fixture(name));
    expect(parse).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(reason) });
    expect(parse?.kind === 'ignored' && parse.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('ignores events of other types and shapes without throwing', () => {
    expect(parseAlibabaAudit({ type: 'ebs:Disk:DiskBPSExceedDiskMaxLimit', data: {} })[0]?.kind).toBe(
      'ignored',
    );
    expect(parseAlibabaAudit('not json')).toEqual([{ kind: 'ignored', reason: 'event is not JSON' }]);
    expect(parseAlibabaAudit(null)).toEqual([{ kind: 'ignored', reason: 'not an EventBridge CloudEvent' }]);
    expect(parseAlibabaAudit([])).toEqual([]);
  });

  it('never throws, whatever arrives (fuzz)', () => {
    fc.assert(
      fc.property(fuzzInputs(FIXTURES), (event) => {
        for (const parse of parseAlibabaAudit(event)) {
          if (parse.kind === 'remediate') expect(typeof parse.item.eventId).toBe('string');
          else expect(typeof parse.reason).toBe('string');
        }
      }),
      FUZZ_RUNS,
    );
  });

  it('never turns an id with a forbidden character into a valid request (fuzz)', () => {
    const base = fixtureText('alibaba/eventbridge-actiontrail-attachcontrolpolicy.composite.json');
    const bad = awkwardString.filter((s) => !/^[A-Za-z0-9]+$/.test(s));
    fc.assert(
      fc.property(bad, (suffix) => {
        const event = JSON.parse(base);
        event.data.requestParameters.TargetId = `fd-${suffix}`;
        const [parse] = parseAlibabaAudit(event);
        expect(parse?.kind === 'remediate' && parseRequest(parse.item.input)).toMatchObject({
          ok: false,
          field: 'targetId',
        });
      }),
      { numRuns: 100 },
    );
  });
});
