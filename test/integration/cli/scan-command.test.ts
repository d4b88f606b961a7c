import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSeed } from '../../../sandbox/seeds';
import { parseRequest } from '../../../shared/requests';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';

const sandbox = useSandbox(() => loadSeed('demo'));
const env = () => sandboxEnvironment(sandbox.current.url);
const dir = mkdtempSync(join(tmpdir(), 'remediate-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// The demo seed holds 7 RAM policy attachments and 7 control-policy attachments (Alibaba), 7 bindings
// (Tencent) and 4 agency attachments (Huawei).
const RULES = file(
  'rules.yaml',
  `version: 1
rules:
  - id: no-admin
    provider: alibaba
    operation: detach-policy
    when: { policyName: ["AdministratorAccess", "*FullAccess"] }
  - id: no-allow-all-cp
    provider: alibaba
    operation: detach-control-policy
    when: { policyId: "cp-AllowAll*" }
  - id: scp-allowlist
    provider: tencent
    operation: detach-policy
    unless: { policyId: [1, 100001, 200001] }
  - id: no-full-access-agencies
    provider: huawei
    operation: detach-agency-policy
    when: { policyId: "*full-access" }
exemptions:
  - rule: no-admin
    when: { principalName: "breakglass@*" }
    reason: break-glass account
    owner: secops@corp.example
    expires: 2099-12-31
  - rule: no-admin
    when: { principalName: ci-deployer }
    reason: expired long ago
    owner: platform@corp.example
    expires: 2020-01-31
  - when: { agencyId: 2c9f7e60-migration }
    reason: migration runs until March
    owner: cloud-team@corp.example
    expires: 2099-03-31
`,
);

interface Finding {
  status: string;
  provider: string;
  operation: string;
  target: string;
  rule?: string;
  exemption?: { reason: string; owner: string; expires: string; rule?: string };
  request: Record<string, unknown>;
}

function findings(stdout: string): { findings: Finding[]; summary: Record<string, unknown> } {
  const lines = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const last = lines.pop() as { summary: Record<string, unknown> };
  return { findings: lines as unknown as Finding[], summary: last.summary };
}

const byTarget = (list: Finding[], fragment: string) => list.filter((f) => f.target.includes(fragment));

beforeEach(() => sandbox.current.reset());

// Each CLI process costs a second or more on a loaded machine: the time-out is generous.
describe('remediate scan', { timeout: 90_000 }, () => {
  it('prints the counts per cloud and every non-compliant and exempt attachment, changing nothing', async () => {
    const run = await runCli(['scan', '--rules', RULES], env());
    expect(run.stderr).not.toMatch(/could not be listed/);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain(`Scanned alibaba, tencent, huawei with rules ${RULES}.`);
    expect(run.stdout).toMatch(/^PROVIDER {2}ATTACHMENTS {2}NON-COMPLIANT {2}EXEMPT {2}COMPLIANT$/m);
    expect(run.stdout).toMatch(/^alibaba +14 +4 +1 +9$/m);
    expect(run.stdout).toMatch(/^tencent +7 +2 +0 +5$/m);
    expect(run.stdout).toMatch(/^huawei +4 +1 +1 +2$/m);
    expect(run.stdout).toMatch(/^total +25 +7 +2 +16$/m);
    expect(run.stdout).toMatch(/^Non-compliant \(7\)$/m);
    expect(run.stdout).toMatch(
      /^ {2}no-admin +alibaba\/detach-policy +rg-aek2prod7xk3q IMSUser:mallory@corp\.onaliyun\.com System:AdministratorAccess$/m,
    );
    expect(run.stdout).toMatch(
      /^ {2}no-allow-all-cp +alibaba\/detach-control-policy +fd-Lab00001 cp-AllowAllLab00001 {2}\(AllowEverythingLab on Lab\)$/m,
    );
    expect(run.stdout).toMatch(/^Exempt \(2\)$/m);
    expect(run.stdout).toMatch(
      /^ {2}no-admin .*IMSUser:breakglass@corp\.onaliyun\.com.* secops@corp\.example +2099-12-31 +break-glass account$/m,
    );
    expect(run.stdout).toMatch(
      /^ {2}no-full-access-agencies .*agency:2c9f7e60-migration.* cloud-team@corp\.example +2099-03-31 +migration runs until March$/m,
    );
    const totals = sandbox.current.calls.totals();
    expect(totals.mutating).toBe(0);
    expect(totals.total).toBeGreaterThan(0);
  });

  it('writes the non-compliant requests as JSON lines that run accepts and carries out', async () => {
    const output = join(dir, 'non-compliant.jsonl');
    const scan = await runCli(['scan', '--rules', RULES, '--output', output], env());
    expect(scan.code).toBe(0);
    expect(scan.stdout).toContain(`Non-compliant (7): the requests that remove them are in ${output}`);
    const lines = readFileSync(output, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(7);
    const requests = lines.map((line) => {
      const parsed = parseRequest(JSON.parse(line));
      if (!parsed.ok) throw new Error(`${line}: ${parsed.field} ${parsed.rule}`);
      return parsed.request;
    });
    expect(requests.map((r) => `${r.provider}/${r.operation}`).sort()).toEqual([
      'alibaba/detach-control-policy',
      'alibaba/detach-control-policy',
      'alibaba/detach-policy',
      'alibaba/detach-policy',
      'huawei/detach-agency-policy',
      'tencent/detach-policy',
      'tencent/detach-policy',
    ]);
    expect(requests).toContainEqual({
      provider: 'tencent',
      operation: 'detach-policy',
      policyId: 100002,
      targetId: 1002,
      targetType: 'NODE',
      type: 'SERVICE_CONTROL_POLICY',
      source: 'scan',
      eventId: expect.stringMatching(/^scan:/),
    });
    // One id for the whole scan: running this file twice acts once, a new scan's file acts again.
    expect(new Set(requests.map((r) => r.eventId)).size).toBe(1);

    const run = await runCli(['run', output, '--json'], env());
    const outcomes = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { status?: string; reason?: string; summary?: unknown });
    expect(outcomes.pop()?.summary).toMatchObject({ total: 7 });
    outcomes.shift(); // the run header
    // The Lab folder, the lab member and Lab's Tencent department keep their last policy: dead-lettered.
    expect(outcomes.filter((o) => o.status === 'detached')).toHaveLength(4);
    expect(outcomes.filter((o) => o.reason === 'last-policy')).toHaveLength(3);

    const again = await runCli(['scan', '--rules', RULES, '--json'], env());
    const after = findings(again.stdout);
    expect(after.findings.filter((f) => f.status === 'non-compliant').map((f) => f.target)).toEqual([
      'fd-Lab00001 cp-AllowAllLab00001',
      'NODE:1002 SERVICE_CONTROL_POLICY:100002',
      'MEMBER:100000000003 SERVICE_CONTROL_POLICY:100002',
    ]);
  });

  it('honours when, unless, scoped, unscoped and expired exemptions (--json)', async () => {
    const run = await runCli(['scan', '--rules', RULES, '--json'], env());
    expect(run.code).toBe(0);
    const { findings: all, summary } = findings(run.stdout);
    expect(all).toHaveLength(25);
    expect(summary).toMatchObject({
      providers: ['alibaba', 'tencent', 'huawei'],
      rules: RULES,
      total: { attachments: 25, 'non-compliant': 7, exempt: 2, compliant: 16, unsupported: 0 },
      failed: [],
    });
    // when: a glob and a list; the read-only policy matches neither.
    expect(byTarget(all, 'alice@')[0]).toMatchObject({ status: 'compliant' });
    expect(byTarget(all, 'mallory@')[0]).toMatchObject({ status: 'non-compliant', rule: 'no-admin' });
    // A scoped exemption in force; an expired one is ignored.
    expect(byTarget(all, 'breakglass@')[0]).toMatchObject({
      status: 'exempt',
      rule: 'no-admin',
      exemption: { rule: 'no-admin', reason: 'break-glass account', owner: 'secops@corp.example' },
    });
    expect(byTarget(all, 'ServiceRole:ci-deployer')[0]).toMatchObject({
      status: 'non-compliant',
      rule: 'no-admin',
    });
    // unless: the allow-listed policies are compliant, the others are not, whatever the target.
    const tencent = all.filter((f) => f.provider === 'tencent');
    expect(tencent.filter((f) => f.status === 'non-compliant').map((f) => f.request.policyId)).toEqual([
      100002, 100002,
    ]);
    expect(tencent.filter((f) => f.request.type === 'TAG_POLICY')).toMatchObject([{ status: 'compliant' }]);
    // An exemption without a rule covers whatever its `when` matches.
    expect(byTarget(all, 'agency:2c9f7e60-migration policy:a5c0e3f1')[0]).toMatchObject({
      status: 'exempt',
      rule: 'no-full-access-agencies',
      exemption: { reason: 'migration runs until March' },
    });
    expect(byTarget(all, 'agency:5b3e0c1f-ci-deployer policy:a5c0e3f1')[0]).toMatchObject({
      status: 'non-compliant',
    });
    // Control policies named as the directory names them.
    expect(byTarget(all, '3234567890123456 cp-AllowAllLab00001')[0]).toMatchObject({
      status: 'non-compliant',
      names: { policy: 'AllowEverythingLab', target: 'lab-experiments' },
    });
  });

  it('warns about expired exemptions on stderr and in the JSON summary', async () => {
    const [human, json] = await Promise.all([
      runCli(['scan', '--rules', RULES, '--provider', 'huawei'], env()),
      runCli(['scan', '--rules', RULES, '--provider', 'huawei', '--json'], env()),
    ]);
    const warning =
      /^remediate scan: warning: the exemption for rule no-admin when \{"principalName":"ci-deployer"\} \(owner platform@corp\.example: expired long ago\) expired on 2020-01-31 and is ignored$/m;
    expect(human.stderr).toMatch(warning);
    expect(json.stderr).toMatch(warning);
    expect(findings(json.stdout).summary.expiredExemptions).toEqual([
      expect.objectContaining({ rule: 'no-admin', owner: 'platform@corp.example', expires: '2020-01-31' }),
    ]);
    // The live exemptions are not named.
    expect(human.stderr).not.toMatch(/break-glass|migration/);
  });

  it('--output csv prints one row per attachment, and can be given with an output file', async () => {
    const output = join(dir, 'csv-and-file.jsonl');
    const run = await runCli(
      ['scan', '--rules', RULES, '--provider', 'huawei', '--output', 'csv', '--output', output],
      env(),
    );
    expect(run.code).toBe(0);
    const rows = run.stdout.trimEnd().split('\r\n');
    expect(rows[0]).toBe(
      'status,provider,operation,target,policyName,targetName,rule,exemptionOwner,exemptionExpires,exemptionReason,problem',
    );
    expect(rows).toHaveLength(5);
    expect(rows).toContain(
      'exempt,huawei,huawei/detach-agency-policy,agency:2c9f7e60-migration policy:a5c0e3f1-full-access,FullAccess,,no-full-access-agencies,cloud-team@corp.example,2099-03-31,migration runs until March,',
    );
    expect(readFileSync(output, 'utf8').trimEnd().split('\n')).toHaveLength(1);
  });

  it('--provider scans one cloud only', async () => {
    const run = await runCli(['scan', '--rules', RULES, '--provider', 'tencent'], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Scanned tencent with rules');
    expect(run.stdout).toMatch(/^tencent +7 +2 +0 +5$/m);
    expect(run.stdout).not.toMatch(/^(alibaba|huawei) /m);
    const clouds = new Set(sandbox.current.calls.list().map((c) => c.cloud));
    expect([...clouds]).toEqual(['tencent']);
    expect(sandbox.current.calls.list().map((c) => c.action)).toEqual(
      expect.arrayContaining(['ListPolicies', 'ListTargetsForPolicy']),
    );
  });

  it('scans the clouds that have credentials and names the others', async () => {
    const { HUAWEICLOUD_SDK_AK: _, ...noHuawei } = env();
    const run = await runCli(['scan', '--rules', RULES, '--json'], noHuawei);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /skipping huawei \(huawei credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/,
    );
    expect(findings(run.stdout).summary.providers).toEqual(['alibaba', 'tencent']);
  });

  it('without rules nothing is selected, and it says so', async () => {
    const run = await runCli(['scan', '--provider', 'huawei'], env());
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/no rules file \(--rules or REMEDIATE_RULES\): no rule selects anything/);
    expect(run.stdout).toMatch(/^huawei +4 +0 +0 +4$/m);
    expect(run.stdout).toContain('Nothing is non-compliant.');
  });

  it('takes the rules from REMEDIATE_RULES when --rules is absent', async () => {
    const run = await runCli(['scan', '--provider', 'huawei'], { ...env(), REMEDIATE_RULES: RULES });
    expect(run.stdout).toMatch(/^huawei +4 +1 +1 +2$/m);
  });

  it.each([
    [
      'an unknown field',
      'version: 1\nrules:\n  - id: x\n    provider: alibaba\n    operation: detach-policy\n    when: { colour: red }\n',
      /rules\.0\.when\.colour: alibaba\/detach-policy has no field 'colour'/,
    ],
    [
      'a bad expiry',
      'version: 1\nexemptions:\n  - when: { policyId: cp-x }\n    reason: r\n    owner: o\n    expires: soon\n',
      /exemptions\.0\.expires: must be a date, YYYY-MM-DD/,
    ],
    ['not YAML', 'version: [1\n', /not valid YAML or JSON/],
  ])('refuses a rules file with %s: exit 2, the field named, no call', async (_, text, message) => {
    const path = file('bad-rules.yaml', text);
    const run = await runCli(['scan', '--rules', path], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain(path);
    expect(sandbox.current.calls.totals().total).toBe(0);
  });

  it('refuses a missing rules file, an unknown provider and an unwritable output with exit 2', async () => {
    const missing = await runCli(['scan', '--rules', join(dir, 'nope.yaml')], env());
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/nope\.yaml: ENOENT/)]);
    const provider = await runCli(['scan', '--provider', 'aws'], env());
    expect([provider.code, provider.stderr]).toEqual([
      2,
      expect.stringMatching(/--provider: must be one of alibaba, tencent, huawei/),
    ]);
    const output = await runCli(['scan', '--output', join(dir, 'no-such-dir', 'out.jsonl')], env());
    expect([output.code, output.stderr]).toEqual([2, expect.stringMatching(/--output .*out\.jsonl: ENOENT/)]);
    const credentials = await runCli(['scan', '--provider', 'alibaba'], {
      ...env(),
      ALIBABA_CLOUD_ACCESS_KEY_ID: '',
    });
    expect([credentials.code, credentials.stderr]).toEqual([
      2,
      expect.stringMatching(/set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET/),
    ]);
    expect(sandbox.current.calls.totals().total).toBe(0);
  });

  it('exits 1 and names the cloud and the permissions when a listing is refused', async () => {
    const run = await runCli(['scan', '--rules', RULES, '--json'], {
      ...env(),
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /alibaba could not be listed completely: SignatureDoesNotMatch \(HTTP 400\): .*\(the scan needs ram:ListPolicyAttachments, resourcemanager:ListControlPolicies, resourcemanager:ListTargetAttachmentsForControlPolicy\)/,
    );
    const { summary } = findings(run.stdout);
    expect(summary.failed).toEqual([
      expect.objectContaining({ provider: 'alibaba', code: 'SignatureDoesNotMatch' }),
    ]);
    expect(summary.total).toMatchObject({ attachments: 11 });
  });
});
