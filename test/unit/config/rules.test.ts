import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../shared/config/load-rules';
import { EMPTY_RULES, rulesFileSchema } from '../../../shared/config/rules';
import { rulesJsonSchema } from '../../../shared/config/rules-json-schema';
import { OPERATION_NAMES, REQUEST_SCHEMAS } from '../../../shared/requests';

// A complete rules file, as a user would write it.
const EXAMPLE = `
version: 1
rules:
  - id: no-admin-in-resource-groups
    provider: alibaba
    operation: detach-policy
    when: { policyName: ["AdministratorAccess", "*FullAccess"] }
  - id: scp-allowlist
    provider: tencent
    operation: detach-policy
    unless: { policyId: [1, 2001] }
exemptions:
  - rule: no-admin-in-resource-groups
    when: { principalName: "breakglass@corp.onaliyun.com" }
    reason: break-glass account
    owner: secops@corp.example
    expires: 2027-01-31
breaker: { maxActions: 50, window: 10m }
lastPolicy: { alibaba: { replaceWith: cp-xxxxxxxxxxxx }, tencent: dead-letter, huawei: dead-letter }
`;

describe('rules file', () => {
  it('EMPTY_RULES, written out so no schema runs at import, is what the schema makes of an empty file', () => {
    expect(EMPTY_RULES).toEqual(rulesFileSchema.parse({ version: 1 }));
  });

  it('request schemas are built on first use and kept; listing the operations builds none', () => {
    expect(OPERATION_NAMES).toEqual(Object.keys(REQUEST_SCHEMAS));
    const first = REQUEST_SCHEMAS['tencent/detach-policy'];
    expect(REQUEST_SCHEMAS['tencent/detach-policy']).toBe(first);
    expect(Object.keys(first.shape)).toContain('targetType');
  });

  it('reads the documented example', () => {
    const rules = parseRules(EXAMPLE);
    expect(rules.rules.map((r) => r.id)).toEqual(['no-admin-in-resource-groups', 'scp-allowlist']);
    expect(rules.exemptions[0]).toMatchObject({ expires: '2027-01-31', owner: 'secops@corp.example' });
    // The flat form is the audit budget; explicit orders keep their default.
    expect(rules.breaker).toEqual({
      audit: { maxActions: 50, window: 600_000 },
      explicit: { maxActions: 12_000, window: 600_000 },
    });
    expect(rules.lastPolicy).toEqual({
      alibaba: { replaceWith: 'cp-xxxxxxxxxxxx' },
      tencent: 'dead-letter',
      huawei: 'dead-letter',
    });
  });

  it('reads JSON too, with defaults for what it leaves out', () => {
    const rules = parseRules('{"version": 1}');
    expect(rules).toEqual({
      version: 1,
      rules: [],
      exemptions: [],
      breaker: {
        audit: { maxActions: 50, window: 600_000 },
        explicit: { maxActions: 12_000, window: 600_000 },
      },
      lastPolicy: {},
      rateLimits: {},
    });
  });

  it('takes separate audit and explicit budgets; either may be left to its default', () => {
    const both = parseRules(
      'version: 1\nbreaker: { audit: { maxActions: 5, window: 1m }, explicit: { maxActions: 20000, window: 1h } }',
    );
    expect(both.breaker).toEqual({
      audit: { maxActions: 5, window: 60_000 },
      explicit: { maxActions: 20_000, window: 3_600_000 },
    });
    const explicitOnly = parseRules('version: 1\nbreaker: { explicit: { maxActions: 7, window: 10m } }');
    expect(explicitOnly.breaker).toEqual({
      audit: { maxActions: 50, window: 600_000 },
      explicit: { maxActions: 7, window: 600_000 },
    });
  });

  it.each([
    ['version: 1\nbreaker: { explicit: { maxActions: 0, window: 10m } }', /breaker/],
    ['version: 1\nbreaker: { audit: { maxActions: 5 }, explicit: { maxActions: 5, window: 1m } }', /breaker/],
    ['version: 1\nbreaker: { manual: { maxActions: 5, window: 1m } }', /breaker/],
    ['version: 2', /version: /],
    ['version: 1\nrulez: []', /\(file\): unknown field rulez/],
    [
      'version: 1\nrules: [{ id: r, provider: alibaba, operation: detach-role }]',
      /rules\.0\.operation: no operation alibaba\/detach-role/,
    ],
    ['version: 1\nrules: [{ id: r, provider: aws, operation: detach-policy }]', /rules\.0\.provider/],
    [
      'version: 1\nrules: [{ id: r, provider: tencent, operation: detach-policy, when: { policyName: x } }]',
      /rules\.0\.when\.policyName: tencent\/detach-policy has no field 'policyName'/,
    ],
    [
      'version: 1\nrules: [{ id: r, provider: tencent, operation: detach-policy, whenn: {} }]',
      /rules\.0: unknown field whenn/,
    ],
    [
      'version: 1\nrules: [{ id: r, provider: tencent, operation: detach-policy }, { id: r, provider: huawei, operation: detach-agency-policy }]',
      /rules\.1\.id: duplicate rule id 'r'/,
    ],
    [
      'version: 1\nexemptions: [{ rule: nope, when: { policyName: x }, reason: r, owner: o, expires: 2027-01-31 }]',
      /exemptions\.0\.rule: no rule 'nope'/,
    ],
    [
      'version: 1\nexemptions: [{ when: { policyName: x }, reason: r, owner: o, expires: 31/01/2027 }]',
      /exemptions\.0\.expires: must be a date, YYYY-MM-DD/,
    ],
    [
      'version: 1\nexemptions: [{ when: { colour: x }, reason: r, owner: o, expires: 2027-01-31 }]',
      /exemptions\.0\.when\.colour: no request has a field 'colour'/,
    ],
    [
      'version: 1\nexemptions: [{ when: { policyName: x }, owner: o, expires: 2027-01-31 }]',
      /exemptions\.0\.reason/,
    ],
    [
      'version: 1\nbreaker: { maxActions: 50, window: ten minutes }',
      /breaker\.audit\.window: must be a duration/,
    ],
    [
      'version: 1\nlastPolicy: { alibaba: { replaceWith: FullAliyunAccess } }',
      /lastPolicy\.alibaba\.replaceWith: must be a control policy id/,
    ],
    [
      'version: 1\nlastPolicy: { tencent: { replaceWith: abc } }',
      /lastPolicy\.tencent\.replaceWith: must be a policy id/,
    ],
    ['version: 1\nlastPolicy: { huawei: { replaceWith: x } }', /lastPolicy\.huawei/],
    ['version: 1\nrateLimits: { tencent/detach-policy: -1 }', /rateLimits\.tencent\/detach-policy/],
    ['version: 1\nrules: [', /not valid YAML or JSON/],
  ])('refuses %j naming the bad field', (text, message) => {
    expect(() => parseRules(text, 'rules.yaml')).toThrow(message);
  });
});

describe('rules.schema.json', () => {
  it('is the schema generated from the zod schema (run `npm run schema` after changing it)', () => {
    const committed = readFileSync(join(__dirname, '../../../shared/config/rules.schema.json'), 'utf8');
    expect(committed).toBe(rulesJsonSchema());
  });
});
