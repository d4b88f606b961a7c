import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../scripts/build';

export interface BuiltBundles {
  /** `<dir>/<cloud>/<function>/index.js` */
  dir: string;
  sizes: { path: string; bytes: number }[];
}

let built: Promise<BuiltBundles> | undefined;

/**
 * Every cloud × function bundle, built once per bench run (as `npm run build` builds them) into a temp dir
 * removed when the bench process exits. The benches load them from there with plain `node`.
 */
export function builtBundles(): Promise<BuiltBundles> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'remediate-bench-bundles-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return { dir, sizes: await buildBundles(dir) };
  })();
  return built;
}

export const bundlePath = (dir: string, cloud: string, fn: string): string =>
  join(dir, cloud, fn, 'index.js');

/** The temporary credentials of the sandbox's demo seed: on a platform, functions get a role's STS keys. */
export const STS_ROLE = {
  accessKeyId: 'STS.sandbox',
  secret: 'sandbox-sts-secret',
  token: 'sandbox-sts-token',
};

export interface ChildRun {
  /** Wall time from spawn to exit, measured by the parent. */
  ms: number;
  code: number | null;
  stdout: string;
  /** The last few KiB of stderr (the function's log lines, an error). */
  stderr: string;
}

/**
 * Runs a plain CommonJS script with `node` (no loader unless `nodeArgs` adds one, no inherited NODE_OPTIONS)
 * in a minimal environment and times it from spawn to exit.
 */
export function runNode(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const begin = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let ms = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4096);
    });
    child.on('error', reject);
    child.on('exit', () => {
      ms = performance.now() - begin;
    });
    child.on('close', (code) => resolve({ ms, code, stdout, stderr }));
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export async function admin(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/_sandbox/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`sandbox ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}
