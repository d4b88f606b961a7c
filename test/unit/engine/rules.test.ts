import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../shared/config/load-rules';
import { activeExemption, expiredExemptions, matches, selectRule } from '../../../shared/engine/rules';
import { parseRequest, type RemediationRequest } from '../../../shared/requests';

function request(input: Record<string, unknown>): RemediationRequest {
  const parsed = parseRequest(input);
  if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.rule}`);
  return parsed.request;
}

const admin = (policyName: string, principalName = 'mallory@corp.onaliyun.com') =>
  request({
    provider: 'alibaba',
    operation: 'detach-policy',
    resourceGroupId: 'rg-1',
    policyType: 'System',
    policyName,
    principalType: 'IMSUser',
    principalName,
  });
const scp = (policyId: number) =>
  request({ provider: 'tencent', operation: 'detach-policy', policyId, targetId: 1001, targetType: 'NODE' });

const RULES = parseRules(`
version: 1
rules:
  - id: no-admin
    provider: alibaba
    operation: detach-policy
    when: { policyName: ["AdministratorAccess", "*FullAccess"] }
  - id: scp-allowlist
    provider: tencent
    operation: detach-policy
    unless: { policyId: [1, 2001] }
exemptions:
  - rule: no-admin
    when: { principalName: "breakglass@*" }
    reason: break-glass account
    owner: secops@corp.example
    expires: 2027-01-31
  - when: { targetId: 1001, policyId: 100002 }
    reason: lab experiment
    owner: lab@corp.example
    expires: 2026-06-30
`);

describe('matching', () => {
  it('matches exact values, globs and lists; every field must match', () => {
    expect(matches({ policyName: 'AdministratorAccess' }, admin('AdministratorAccess'))).toBe(true);
    expect(matches({ policyName: '*FullAccess' }, admin('AliyunOSSFullAccess'))).toBe(true);
    expect(matches({ policyName: '*FullAccess' }, admin('AliyunOSSFullAccessExtra'))).toBe(false);
    expect(matches({ policyName: 'Admin?strator*' }, admin('AdministratorAccess'))).toBe(true);
    expect(matches({ policyName: ['ReadOnlyAccess', 'Admin*'] }, admin('AdministratorAccess'))).toBe(true);
    expect(matches({ policyName: 'Admin*', principalName: 'alice@*' }, admin('AdministratorAccess'))).toBe(
      false,
    );
    expect(matches({ policyId: [1, 2001] }, scp(2001))).toBe(true);
    expect(matches({ policyId: '2*' }, scp(2001))).toBe(true);
    expect(matches({ cascade: true }, admin('AdministratorAccess'))).toBe(false);
  });

  it('treats glob characters only as globs: dots and brackets are literal', () => {
    expect(matches({ principalName: 'a.b@corp.onaliyun.com' }, admin('X', 'aXb@corp.onaliyun.com'))).toBe(
      false,
    );
    expect(matches({ policyName: '[A]dmin' }, admin('Admin'))).toBe(false);
  });

  it('selects the first rule of the request’s operation whose when matches and unless does not', () => {
    expect(selectRule(RULES, admin('AdministratorAccess'))?.id).toBe('no-admin');
    expect(selectRule(RULES, admin('ReadOnlyAccess'))).toBeUndefined();
    expect(selectRule(RULES, scp(100002))?.id).toBe('scp-allowlist');
    expect(selectRule(RULES, scp(2001))).toBeUndefined();
  });
});

describe('exemptions', () => {
  const before = new Date('2026-06-30T23:59:59Z');
  const after = new Date('2026-07-01T00:00:00Z');

  it('covers what its rule selects, and lasts through its expiry day', () => {
    expect(
      activeExemption(RULES, admin('AdministratorAccess', 'breakglass@corp.onaliyun.com'), after)?.reason,
    ).toBe('break-glass account');
    expect(
      activeExemption(RULES, admin('ReadOnlyAccess', 'breakglass@corp.onaliyun.com'), after),
    ).toBeUndefined();
    expect(
      activeExemption(
        RULES,
        admin('AdministratorAccess', 'breakglass@corp.onaliyun.com'),
        new Date('2027-02-01T00:00:00Z'),
      ),
    ).toBeUndefined();
  });

  it('without a rule covers every request its when matches; expired ones are listed for a warning', () => {
    expect(activeExemption(RULES, scp(100002), before)?.reason).toBe('lab experiment');
    expect(activeExemption(RULES, scp(100002), after)).toBeUndefined();
    expect(expiredExemptions(RULES, after).map((e) => e.reason)).toEqual(['lab experiment']);
    expect(expiredExemptions(RULES, before)).toEqual([]);
  });
});
