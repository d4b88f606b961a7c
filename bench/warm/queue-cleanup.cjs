// Child process of the warm-throughput bench: one function instance of the built Alibaba queue-cleanup
// bundle, called as Function Compute calls it (the MNS batch as a Buffer of JSON, the role's credentials
// in the context). A small batch warms it (SDK client, JIT); then the timed batch. Prints the batch's wall
// time, its outcome counts and the process's peak RSS. Plain CommonJS, run with `node` (no loader); given
// the function's TypeScript source instead, run with tsx and count-redis-round-trips.cjs preloaded, it also
// prints the Redis round trips and commands of the timed batch.
const { readFileSync } = require('node:fs');

const [bundle, warmFile, batchFile] = process.argv.slice(2);
const role = JSON.parse(process.env.BENCH_ROLE ?? '{}');
const { handler } = require(bundle);

const context = (requestId) => ({
  requestId,
  credentials: { accessKeyId: role.accessKeyId, accessKeySecret: role.secret, securityToken: role.token },
  function: { name: 'queue-cleanup', handler: 'index.handler', memory: 256, timeout: 600 },
  region: 'local',
});

async function main() {
  const warm = await handler(readFileSync(warmFile), context('bench-warm-up'));
  const batch = readFileSync(batchFile);
  const redisBefore = globalThis.__benchRedisCounts?.();
  const begin = performance.now();
  const settlement = await handler(batch, context('bench-batch'));
  const ms = performance.now() - begin;
  const redisAfter = globalThis.__benchRedisCounts?.();
  const redis = redisBefore &&
    redisAfter && {
      roundTrips: redisAfter.roundTrips - redisBefore.roundTrips,
      commands: redisAfter.commands - redisBefore.commands,
    };
  return {
    warmUp: warm.counts,
    counts: settlement.counts,
    ms,
    maxRssKiB: process.resourceUsage().maxRSS,
    redis,
  };
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
