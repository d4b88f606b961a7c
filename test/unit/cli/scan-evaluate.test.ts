import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../cli/scan/evaluate';
import { countFindings, table } from '../../../cli/scan/report';
import { parseRules } from '../../../shared/config/load-rules';

const RULES = parseRules(`version: 1
rules:
  - id: no-admin
    provider: alibaba
    operation: detach-policy
    when: { policyName: AdministratorAccess }
exemptions:
  - when: { principalName: "breakglass*" }
    reason: break-glass
    owner: secops
    expires: 2030-01-31
`);

const attachment = (principalName: string, policyName = 'AdministratorAccess') => ({
  request: {
    provider: 'alibaba' as const,
    operation: 'detach-policy',
    resourceGroupId: 'rg-1',
    policyType: 'System',
    policyName,
    principalType: 'IMSUser',
    principalName,
  },
});

describe('scan evaluation', () => {
  const now = new Date('2029-06-01T00:00:00Z');

  it('non-compliant when a rule selects the removing request, exempt while an exemption lasts', () => {
    expect(evaluate(attachment('mallory@corp.onaliyun.com'), RULES, now)).toMatchObject({
      status: 'non-compliant',
      rule: 'no-admin',
      operation: 'alibaba/detach-policy',
      request: { source: 'scan' },
    });
    expect(evaluate(attachment('breakglass@corp.onaliyun.com'), RULES, now)).toMatchObject({
      status: 'exempt',
      exemption: { reason: 'break-glass', owner: 'secops', expires: '2030-01-31' },
    });
    // The exemption ends after its last day.
    expect(
      evaluate(attachment('breakglass@corp.onaliyun.com'), RULES, new Date('2030-02-01T00:00:00Z')),
    ).toMatchObject({
      status: 'non-compliant',
    });
    expect(evaluate(attachment('alice@corp.onaliyun.com', 'ReadOnlyAccess'), RULES, now)).toMatchObject({
      status: 'compliant',
    });
  });

  it('an attachment no request can name is unsupported, with the field and the rule it breaks', () => {
    const finding = evaluate(attachment('name with spaces'), RULES, now);
    expect(finding).toMatchObject({
      status: 'unsupported',
      field: 'principalName',
      problem: 'may contain only letters, digits and . _ @ -',
    });
    expect(countFindings([finding], ['alibaba']).total).toMatchObject({ attachments: 1, unsupported: 1 });
  });

  it('lays out columns to the widest cell', () => {
    expect(
      table([
        ['A', 'BB', 'C'],
        ['aaa', 'b', 'long last column'],
      ]),
    ).toEqual(['A    BB  C', 'aaa  b   long last column']);
  });
});
