// The registry this project installs from serves only the platform packages of its own machines
// (linux), so `npm install` leaves the other platforms' optional binaries (biome, esbuild, rollup) out
// of package-lock.json, and `npm ci` then refuses the lock as out of sync. This adds the missing entries
// as optional, which `npm ci` skips on a platform they are not for. Run it after changing dependencies;
// `--check` (part of `npm run check`) fails when the lock needs it.
const { readFileSync, writeFileSync } = require('node:fs');

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const missing = [];
for (const [path, meta] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${path === '' ? '' : `${path}/`}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    missing.push(name);
    lock.packages[`node_modules/${name}`] = {
      version: range.replace(/^[\^~=]/, ''),
      dev: meta.dev,
      optional: true,
    };
  }
}
if (process.argv.includes('--check')) {
  if (missing.length > 0) {
    console.error(
      `package-lock.json lacks ${missing.length} optional platform packages: run node scripts/complete-lockfile.cjs`,
    );
    process.exit(1);
  }
} else {
  writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`added ${missing.length} optional platform packages to package-lock.json`);
}
