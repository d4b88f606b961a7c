import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { importCycles, importsOf, ROOT, sourceFiles } from '../../helpers/import-graph';

const SOURCE_DIRS = ['shared', 'functions', 'cli', 'local', 'sandbox', 'infra', 'scripts', 'bench', 'bin'];
const SDKS = /node_modules\/(@alicloud|@huaweicloud|tencentcloud-sdk-nodejs)\//;

/** The modules a fresh node process has loaded once it has required `module` (from source, through tsx). */
function modulesLoadedBy(module: string): string[] {
  const script = `require(${JSON.stringify(module)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('what may import what (docs/ARCHITECTURE.md)', () => {
  it('the engine loads no vendor SDK: the clouds it reaches are handed to it', () => {
    const loaded = modulesLoadedBy('./shared/engine/engine.ts');
    expect(loaded.some((m) => m.endsWith('shared/engine/engine.ts'))).toBe(true);
    expect(loaded.filter((m) => SDKS.test(m))).toEqual([]);
  });

  it('a cloud module does load its SDK (the check above can see one)', () => {
    const loaded = modulesLoadedBy('./shared/providers/tencent/index.ts');
    expect(loaded.some((m) => /tencentcloud-sdk-nodejs/.test(m))).toBe(true);
    expect(loaded.some((m) => /@alicloud|@huaweicloud/.test(m))).toBe(false);
  });

  it('no import cycles in the source', () => {
    expect(importCycles(sourceFiles(SOURCE_DIRS))).toEqual([]);
  });

  it('shared/ imports nothing from functions/, cli/, sandbox/, local/ or infra/', () => {
    const outward = sourceFiles(['shared']).flatMap((file) =>
      importsOf(file)
        .filter((to) => /^(functions|cli|sandbox|local|infra)\//.test(to))
        .map((to) => `${file} -> ${to}`),
    );
    expect(outward).toEqual([]);
  });

  it('infra/ holds deploy descriptors only: no TypeScript', () => {
    expect(sourceFiles(['infra'])).toEqual([]);
  });

  it('the sandbox cloud imports nothing of the product but its log level', () => {
    const inward = sourceFiles(['sandbox']).flatMap((file) =>
      importsOf(file)
        .filter(
          (to) =>
            /^(functions|cli|local|infra)\//.test(to) ||
            (to.startsWith('shared/') && to !== 'shared/logger.ts'),
        )
        .map((to) => `${file} -> ${to}`),
    );
    expect(inward).toEqual([]);
  });

  it('functions/ import neither cli/ nor the sandbox nor the local runtime', () => {
    const outward = sourceFiles(['functions']).flatMap((file) =>
      importsOf(file)
        .filter((to) => /^(cli|sandbox|local|infra)\//.test(to))
        .map((to) => `${file} -> ${to}`),
    );
    expect(outward).toEqual([]);
  });
});
