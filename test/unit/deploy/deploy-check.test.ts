// `remediate deploy check`: offline agreement of the bundles, the descriptors and the rules file, checked on a
// copy of the repository's descriptors with one thing broken at a time.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDeployment, FUNCTION_VARIABLES } from '../../../cli/commands/deploy-check';
import { CREDENTIAL_VARIABLES } from '../../../shared/config/environment';
import { CLOUDS, FUNCTIONS, knownEnvironmentVariables, ROOT } from './helpers';

const copies: string[] = [];
afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the descriptors (no dist/, no rules.yaml) to break. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-check-'));
  copies.push(dir);
  for (const path of [
    'serverless.yml',
    'rules.example.yaml',
    'infra/tencent',
    'infra/huawei',
    'infra/terraform',
  ]) {
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  return dir;
}
const edit = (dir: string, path: string, from: string | RegExp, to: string) => {
  const text = readFileSync(join(dir, path), 'utf8');
  const next = text.replace(from, to);
  expect(next, `${path} contains ${from}`).not.toBe(text);
  writeFileSync(join(dir, path), next);
};
const HANDLER = { alibaba: 'handler', tencent: 'main_handler', huawei: 'handler' } as const;
const RULES_IN_BUNDLE = 'rules.yaml';

/** A dist/ of stand-in bundles shaped like esbuild's output, each with a copy of the rules file. */
function fakeBuild(
  dir: string,
  rules: string,
  skip?: { cloud: string; fn: string; what: 'export' | 'rules' },
) {
  for (const cloud of CLOUDS) {
    for (const fn of FUNCTIONS) {
      const bundle = join(dir, 'dist', cloud, fn);
      mkdirSync(bundle, { recursive: true });
      const broken = skip?.cloud === cloud && skip.fn === fn;
      const name = broken && skip?.what === 'export' ? 'other' : HANDLER[cloud];
      writeFileSync(
        join(bundle, 'index.js'),
        `"use strict";var a={};b(a,{${name}:()=>c});module.exports=d(a);`,
      );
      if (!(broken && skip?.what === 'rules')) writeFileSync(join(bundle, RULES_IN_BUNDLE), rules);
    }
  }
}

describe('remediate deploy check', () => {
  it('finds the repository descriptors in agreement, and says when the bundles are not built', () => {
    const result = checkDeployment(copy());
    expect(result.problems).toEqual([]);
    expect(result.notes.join('\n')).toMatch(/dist\/ is not built/);
    for (const cloud of CLOUDS) {
      for (const fn of FUNCTIONS) expect(result.plan[cloud].join('\n')).toContain(`remediate-${fn}`);
    }
    expect(result.plan.huawei.join('\n')).toContain('CTS IAM:agency:attachAgencyPolicyV5');
  });

  it.each([
    [
      'a handler',
      'serverless.yml',
      /handler: index\.handler/,
      'handler: index.main',
      /alibaba .*handler index\.main/,
    ],
    [
      'an environment variable nothing reads',
      'infra/tencent/queue-cleanup/serverless.yml',
      'LOG_LEVEL: info',
      'LOG_LEVEL: info\n      REMEDIATE_TYPO: "1"',
      /tencent queue-cleanup .*REMEDIATE_TYPO is read by nothing/,
    ],
    [
      'a function name',
      'infra/huawei/functiongraph.yml',
      'func_name: remediate-http-invoke',
      'func_name: remediate-http',
      /huawei http-invoke .*function name remediate-http,/,
    ],
    [
      'a bundle path',
      'infra/terraform/huaweicloud/main.tf',
      '/dist/huawei/audit-log"',
      '/dist/huawei/auditlog"',
      /huawei audit-log: infra\/terraform\/huaweicloud\/main\.tf does not deploy/,
    ],
    [
      'the rules path',
      'infra/terraform/alicloud/variables.tf',
      'default     = "/code/rules.yaml"',
      'default     = "/code/rules.yml"',
      /REMEDIATE_RULES is \/code\/rules\.yaml in serverless\.yml but \/code\/rules\.yml/,
    ],
    [
      'a generated policy',
      'infra/terraform/tencentcloud/generated/cam-policy.json',
      '"organization:AttachPolicy",',
      '',
      /cam-policy\.json is not current: run npm run permissions/,
    ],
  ])('reports %s that disagrees', (_, path, from, to, expected) => {
    const dir = copy();
    edit(dir, path, from, to);
    const { problems } = checkDeployment(dir);
    expect(problems.join('\n')).toMatch(expected);
  });

  it('checks the built bundles: the handler each exports and the rules file each carries', () => {
    const dir = copy();
    const rules = readFileSync(join(dir, 'rules.example.yaml'), 'utf8');
    writeFileSync(join(dir, 'rules.yaml'), rules);
    fakeBuild(dir, rules);
    expect(checkDeployment(dir).problems).toEqual([]);

    fakeBuild(dir, rules, { cloud: 'tencent', fn: 'audit-log', what: 'export' });
    expect(checkDeployment(dir).problems).toEqual([
      'tencent audit-log: dist/tencent/audit-log/index.js does not export main_handler',
    ]);

    rmSync(join(dir, 'dist'), { recursive: true });
    fakeBuild(dir, rules, { cloud: 'huawei', fn: 'queue-cleanup', what: 'rules' });
    expect(checkDeployment(dir).problems.join('\n')).toMatch(
      /huawei queue-cleanup: dist\/huawei\/queue-cleanup\/rules\.yaml is missing/,
    );

    rmSync(join(dir, 'dist'), { recursive: true });
    fakeBuild(dir, rules.replace('maxActions: 50', 'maxActions: 5'));
    expect(checkDeployment(dir).problems).toHaveLength(CLOUDS.length * FUNCTIONS.length);
    expect(checkDeployment(dir).problems[0]).toMatch(/differs from rules\.yaml/);
    // One cloud at a time: a deployment to Alibaba needs only the Alibaba bundles right.
    expect(checkDeployment(dir, undefined, ['alibaba']).problems).toHaveLength(FUNCTIONS.length);
    expect(checkDeployment(dir, undefined, ['alibaba']).plan.tencent).toEqual([]);
  });

  it('refuses an invalid rules file, naming the field', () => {
    const dir = copy();
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nrules:\n  - id: x\n    provider: azure\n');
    expect(checkDeployment(dir, join(dir, 'bad.yaml')).problems.join('\n')).toMatch(/rules\.0\.provider/);
  });

  it('knows exactly the variables the project reads', () => {
    const credentials = Object.values(CREDENTIAL_VARIABLES).flatMap((c) => [c.id, c.secret, c.token]);
    expect(new Set([...FUNCTION_VARIABLES, ...credentials])).toEqual(knownEnvironmentVariables());
  });

  it('exits 1 on a mismatch and 0 when everything agrees, from the command line', () => {
    const dir = copy();
    const run = () =>
      spawnSync(process.execPath, [join(ROOT, 'bin/remediate.js'), 'deploy', 'check', '--dir', dir], {
        encoding: 'utf8',
      });
    const good = run();
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toContain('alibaba will get:');
    expect(good.stdout).toMatch(/the bundles, descriptors and rules agree/);
    edit(dir, 'serverless.yml', /handler: index\.handler/, 'handler: index.main');
    const bad = run();
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/mismatch: alibaba .*handler index\.main/);
  });
});
