import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OPERATION_NAMES, REQUEST_FIELDS, REQUEST_SCHEMAS } from '../../../shared/requests';

const work = mkdtempSync(join(tmpdir(), 'remediate-cold-parse-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * What a cold start parses once (environment, rules, its one request) runs without zod's compiled fast
 * path, which is built with `new Function` on a schema's first parse and pays only after hundreds; a warm
 * container working through a batch gets it. Counted in a fresh process: the parsers compile nothing.
 */
describe('a cold start compiles no zod fast path', () => {
  it('environment, rules and the first JIT_AFTER parses of a request compile nothing; the next does', () => {
    const rules = join(work, 'rules.json');
    writeFileSync(
      rules,
      JSON.stringify({
        version: 1,
        rules: [{ id: 'scp', provider: 'tencent', operation: 'detach-policy', when: { type: 'TAG_POLICY' } }],
      }),
    );
    const request = {
      provider: 'tencent',
      operation: 'detach-policy',
      policyId: 100002,
      targetId: 1001,
      targetType: 'NODE',
      type: 'TAG_POLICY',
    };
    const script = `
const { readEnvironment } = require('./shared/config/environment.ts');
const { loadRules } = require('./shared/config/load-rules.ts');
const { JIT_AFTER, parseRequest } = require('./shared/requests.ts');
let compiled = 0;
const F = globalThis.Function;
globalThis.Function = new Proxy(F, {
  construct(target, args) {
    if (String(args.at(-1) ?? '').trim() !== '') compiled += 1;
    return Reflect.construct(target, args);
  },
});
const counts = [];
readEnvironment({ REMEDIATE_STATE: 'memory', REMEDIATE_RULES: ${JSON.stringify(rules)} });
loadRules(${JSON.stringify(rules)});
const ok = [];
for (let i = 0; i < JIT_AFTER; i++) ok.push(parseRequest(${JSON.stringify(request)}).ok);
counts.push(compiled);
ok.push(parseRequest(${JSON.stringify(request)}).ok);
counts.push(compiled);
process.stdout.write(JSON.stringify({ counts, ok: [...new Set(ok)] }));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    const { counts, ok } = JSON.parse(out) as { counts: number[]; ok: boolean[] };
    expect(ok).toEqual([true]);
    expect(counts[0]).toBe(0);
    expect(counts[1]).toBeGreaterThan(0);
  });
});

describe('checking a rules file builds no request schema', () => {
  it("each operation's fields are its schema's shape", () => {
    for (const name of OPERATION_NAMES)
      expect(REQUEST_FIELDS[name], name).toEqual(Object.keys(REQUEST_SCHEMAS[name].shape));
  });

  it("rules and exemptions naming every cloud's operations are checked without building a schema", () => {
    const rules = {
      version: 1,
      rules: [
        {
          id: 'a',
          provider: 'alibaba',
          operation: 'detach-policy',
          when: { policyName: 'AdministratorAccess' },
        },
        { id: 't', provider: 'tencent', operation: 'detach-policy', unless: { policyId: [1] } },
        { id: 'h', provider: 'huawei', operation: 'detach-agency-policy', when: { agencyId: 'x' } },
      ],
      exemptions: [
        {
          rule: 'a',
          when: { principalName: 'breakglass@*' },
          reason: 'r',
          owner: 'o',
          expires: '2099-12-31',
        },
      ],
    };
    const script = `
const { parseRules } = require('./shared/config/load-rules.ts');
const { REQUEST_SCHEMAS } = require('./shared/requests.ts');
parseRules(${JSON.stringify(JSON.stringify(rules))});
const built = Object.keys(REQUEST_SCHEMAS).filter((name) => !Object.getOwnPropertyDescriptor(REQUEST_SCHEMAS, name).get);
process.stdout.write(JSON.stringify(built));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });
});
