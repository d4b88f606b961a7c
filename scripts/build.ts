// `npm run build`: one self-contained CommonJS bundle per cloud and function (docs/ARCHITECTURE.md, Functions and deployment), each holding
// only its own cloud's SDK (its entry imports only that cloud's operations); prints the sizes and fails past the 1.5 MB budget.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { PROVIDERS } from '../shared/requests';

export const FUNCTIONS = ['audit-log', 'queue-cleanup', 'http-invoke'] as const;
export const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024;

const root = resolve(__dirname, '..');

/**
 * Modules the Alibaba SDK's runtime requires at load but only uses for WebSocket APIs, SOCKS proxies and
 * XML bodies, none of which the JSON RPC calls of Resource Manager touch. They are replaced by a stand-in
 * that fails loudly if ever used; left in, they would push the Alibaba bundles past the 1.5 MB budget.
 */
const UNUSED_AT_RUNTIME = ['ws', 'socks-proxy-agent', 'xml2js'];

function leaveOut(modules: readonly string[]): Plugin {
  const filter = new RegExp(`^(${modules.join('|')})$`);
  return {
    name: 'leave-out',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'left-out' }));
      b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
        contents: `const fail = () => { throw new Error(${JSON.stringify(`${args.path} is left out of this bundle`)}); };
const standIn = new Proxy(function () {}, { apply: fail, construct: fail, get: (_, key) => (key === 'then' ? undefined : standIn) });
module.exports = standIn;`,
        loader: 'js',
      }));
    },
  };
}

/**
 * JSON files of packages (tr46's 260 KB mapping table, mime-db's 130 KB, both required at load by the
 * Tencent SDK's HTTP stack) as `JSON.parse` of a string, as Node's own require reads them: a string is
 * scanned far faster than an object literal of the same data is parsed, and JSON.parse builds it faster
 * than the literal's code would. The value is the same: the file's parsed JSON as the module's exports.
 */
export const jsonAsParse: Plugin = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/].*\.json$/ }, (args) => ({
      contents: `module.exports = JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))});`,
      loader: 'js',
    }));
  },
};

export async function buildBundles(outdir = join(root, 'dist')): Promise<{ path: string; bytes: number }[]> {
  const results: { path: string; bytes: number }[] = [];
  for (const cloud of PROVIDERS) {
    for (const fn of FUNCTIONS) {
      const outfile = join(outdir, cloud, fn, 'index.js');
      await build({
        entryPoints: [join(root, 'functions', fn, `${cloud}.ts`)],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        minify: true,
        legalComments: 'none',
        // A native module: function deployments keep their state in Redis, never in SQLite.
        external: ['better-sqlite3'],
        plugins: [leaveOut(UNUSED_AT_RUNTIME), jsonAsParse],
        logLevel: 'warning',
      });
      results.push({ path: outfile, bytes: statSync(outfile).size });
    }
  }
  return results;
}

if (require.main === module) {
  buildBundles().then(
    (results) => {
      let over = false;
      for (const { path, bytes } of results) {
        const tooBig = bytes > MAX_BUNDLE_BYTES;
        over ||= tooBig;
        console.log(
          `${path.slice(root.length + 1).padEnd(38)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB${tooBig ? '  OVER 1.5 MB' : ''}`,
        );
      }
      if (over) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
