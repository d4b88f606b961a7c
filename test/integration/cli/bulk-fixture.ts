import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import { type CliRun, runCli } from '../../helpers/cli';

/** `runCli` with text on stdin (for `remediate run -`). */
export const runCliWithInput = (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  input: string,
): Promise<CliRun> => runCli(args, env, input);

/** A temporary directory for a state database and input files, removed by `remove`. */
export function workspace() {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-cli-'));
  return {
    dir,
    statePath: join(dir, 'state.db'),
    /** REMEDIATE_STATE for a sqlite file every CLI process of the test shares. */
    state: `sqlite:${join(dir, 'state.db')}`,
    /** Writes one line per entry: objects as JSON, strings as they are. */
    jsonl(name: string, lines: readonly (object | string)[]): string {
      const path = join(dir, name);
      writeFileSync(
        path,
        `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`,
      );
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type Workspace = ReturnType<typeof workspace>;

/** Every non-empty line parsed as JSON (throws, naming the line, when one is not JSON). */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}

/** The demo seed's production resource group and Alibaba requests against it. */
export const PROD = 'rg-aek2prod7xk3q';
export const DEV = 'rg-aek2dev9mz4wa';

export function alibabaLine(principalName: string, fields: Record<string, unknown> = {}) {
  return {
    provider: 'alibaba',
    operation: 'detach-policy',
    resourceGroupId: PROD,
    policyType: 'System',
    policyName: 'AdministratorAccess',
    principalType: 'IMSUser',
    principalName,
    ...fields,
  };
}

export function tencentLine(policyId: number, targetId: number, targetType: 'NODE' | 'MEMBER') {
  return { provider: 'tencent', operation: 'detach-policy', policyId, targetId, targetType };
}

export function huaweiLine(policyId: string, agencyId: string) {
  return { provider: 'huawei', operation: 'detach-agency-policy', policyId, agencyId };
}

/** Binds a Tencent policy in the demo organization directly in the sandbox's state (a person fixing it). */
export function bindTencent(
  sandbox: Sandbox,
  policyId: number,
  targetId: number,
  targetType: 'NODE' | 'MEMBER',
) {
  const org = sandbox.world.tencent.organizations[0];
  if (!org) throw new Error('no organization in the world');
  org.bindings.push({ policyId, targetId, targetType, addTime: '2025-01-01 00:00:00' });
}

/**
 * `run --json` output: the header line `{ run }` first, the outcome lines (each with `line`), the summary
 * line last.
 */
export function parseRun(stdout: string) {
  const lines = jsonLines(stdout);
  const header = lines[0] as { run: { id: string; resumed: boolean; lines: number } };
  expect(header?.run, 'run header first').toBeDefined();
  const summary = lines.at(-1)?.summary as Record<string, number> | undefined;
  expect(summary, 'summary line last').toBeDefined();
  const outcomes = lines.slice(1, -1);
  for (const outcome of outcomes) expect(outcome.line).toEqual(expect.any(Number));
  const byLine = new Map(outcomes.map((o) => [o.line as number, o]));
  return { header, outcomes, byLine, summary: summary as Record<string, number> };
}
