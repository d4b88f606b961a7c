// The least-privilege policy documents are generated from the permissions the provider operations declare;
// the committed files must be current (run `npm run permissions` after changing an operation's permissions).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJson, generatedPolicies, POLICY_FILES } from '../../../scripts/permissions';
import { SCAN_PERMISSIONS } from '../../../shared/providers/alibaba';
import { ALL_OPERATIONS } from '../../../shared/providers/all';
import { CLOUDS, type Cloud, ROOT, readText } from './helpers';

/** The declared permissions of one cloud, computed here independently of the script. */
function declared(cloud: Cloud): string[] {
  const all = Object.entries(ALL_OPERATIONS)
    .filter(([name]) => name.startsWith(`${cloud}/`))
    .flatMap(([, operation]) => [...operation.permissions]);
  return [...new Set(all)].sort();
}

/** The actions a committed document grants, whatever the cloud's letter case. */
function grantedActions(document: unknown): string[] {
  const doc = document as Record<string, unknown>;
  const statements = (doc.Statement ?? doc.statement) as Record<string, unknown>[];
  return statements.flatMap((s) => (s.Action ?? s.action) as string[]);
}

describe('generated least-privilege policies', () => {
  const policies = generatedPolicies();

  it.each(CLOUDS)('the committed %s document is up to date (else: npm run permissions)', (cloud) => {
    const policy = policies[cloud];
    expect(existsSync(join(ROOT, policy.file)), `${policy.file} exists`).toBe(true);
    const committed = JSON.parse(readText(policy.file)) as unknown;
    expect(committed, `${policy.file} is stale: run npm run permissions`).toEqual(policy.document);
  });

  it.each(CLOUDS)('the %s document grants every declared permission and nothing else', (cloud) => {
    const committed = JSON.parse(readText(POLICY_FILES[cloud])) as unknown;
    const granted = grantedActions(committed);
    expect(granted).toEqual(declared(cloud));
    for (const [name, operation] of Object.entries(ALL_OPERATIONS)) {
      if (!name.startsWith(`${cloud}/`)) continue;
      for (const permission of operation.permissions)
        expect(granted, `${name} needs ${permission}`).toContain(permission);
    }
  });

  // Alibaba authorises the Resource Manager resource-group policy calls as RAM actions (the API pages'
  // "Authorization information": ram:DetachPolicy, ram:DeletePolicy); only Resource Directory's control-policy
  // calls are `resourcemanager:` actions. A `resourcemanager:DetachPolicy` grant is refused at every detach.
  it('grants RAM actions for the resource-group policy calls and resourcemanager: only for control policies', () => {
    const alibaba = policies.alibaba.actions;
    for (const action of [
      'ram:DetachPolicy',
      'ram:DeletePolicy',
      'ram:ListPolicyAttachments',
      'ram:ListPolicyVersions',
      'ram:DeletePolicyVersion',
    ]) {
      expect(alibaba).toContain(action);
    }
    for (const action of alibaba.filter((a) => a.startsWith('resourcemanager:'))) {
      expect(action, 'only control-policy calls are Resource Directory actions').toMatch(/ControlPol/);
    }
    expect(SCAN_PERMISSIONS).toContain('ram:ListPolicyAttachments');
  });

  it('grants actions only, never a wildcard, and allows only', () => {
    for (const cloud of CLOUDS) {
      const committed = JSON.parse(readText(POLICY_FILES[cloud])) as Record<string, unknown>;
      for (const action of grantedActions(committed)) expect(action).not.toContain('*');
      const statements = (committed.Statement ?? committed.statement) as Record<string, unknown>[];
      expect(statements).toHaveLength(1);
      expect(String(statements[0]?.Effect ?? statements[0]?.effect).toLowerCase()).toBe('allow');
    }
  });

  it('writes each cloud in its own policy grammar', () => {
    expect(policies.alibaba.document).toMatchObject({
      Version: '1',
      Statement: [{ Effect: 'Allow', Resource: '*' }],
    });
    expect(policies.tencent.document).toMatchObject({
      version: '2.0',
      statement: [{ effect: 'allow', resource: ['*'] }],
    });
    expect(policies.huawei.document).toMatchObject({
      Version: '5.0',
      Statement: [{ Effect: 'Allow', Resource: ['*'] }],
    });
  });

  it('lays the files out as the formatter does, so `biome check` accepts them', () => {
    expect(formatJson({ a: ['x', 'y'], b: { c: 1 } })).toBe(
      '{\n  "a": ["x", "y"],\n  "b": {\n    "c": 1\n  }\n}',
    );
    const long = Array.from({ length: 12 }, (_, i) => `resourcemanager:Action${i}`);
    expect(formatJson({ Action: long }).split('\n')).toHaveLength(long.length + 4);
    for (const cloud of CLOUDS) expect(readText(POLICY_FILES[cloud])).toBe(policies[cloud].text);
  });
});
