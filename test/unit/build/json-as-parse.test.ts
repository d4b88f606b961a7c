import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonAsParse } from '../../../scripts/build';

const work = mkdtempSync(join(tmpdir(), 'remediate-json-as-parse-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bundles read package JSON with JSON.parse (scripts/build.ts)', () => {
  it('a JSON file of a package is JSON.parse of its text, with the same value as require gives', async () => {
    const outfile = join(work, 'out.js');
    await build({
      stdin: { contents: "module.exports = require('mime-db/db.json');", resolveDir: process.cwd() },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      minify: true,
      plugins: [jsonAsParse],
      logLevel: 'silent',
    });
    const text = readFileSync(outfile, 'utf8');
    // Without the plugin, esbuild writes the data as an object literal: no JSON.parse, unquoted keys.
    expect(text).toContain('JSON.parse(');
    const load = createRequire(__filename);
    expect(load(outfile)).toEqual(load('mime-db/db.json'));
  });
});
