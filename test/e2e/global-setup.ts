import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildBundles } from '../../scripts/build';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the bundles of this run were built: `<bundleDir>/<cloud>/<function>/index.js`. */
    bundleDir: string;
  }
}

/**
 * The bundles leave out better-sqlite3 (a native module) and require it at run time, as a deployment
 * shipping it beside the bundle would. Only it and its own dependencies are linked next to the bundles,
 * so any other package a bundle failed to include still fails to load here.
 */
const RUNTIME_PACKAGES = ['better-sqlite3', 'bindings', 'file-uri-to-path'];

/** Builds every cloud × function bundle once for the run, into a temp dir removed afterwards. */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'remediate-e2e-'));
  await buildBundles(dir);
  const modules = resolve(__dirname, '..', '..', 'node_modules');
  mkdirSync(join(dir, 'node_modules'));
  for (const name of RUNTIME_PACKAGES)
    symlinkSync(join(modules, name), join(dir, 'node_modules', name), 'dir');
  project.provide('bundleDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
