// Child process of the warm-throughput bench, the baseline: the same detaches as the queue-cleanup batch,
// made with the vendor SDK alone (from node_modules) by a plain loop with CONCURRENCY calls in flight, as
// queue-cleanup runs its batch. A small list warms it; then the timed list. Prints the list's wall time and
// the process's peak RSS; any failed call fails the run.
const { readFileSync } = require('node:fs');
const { $OpenApiUtil } = require('@alicloud/openapi-core');
const { default: ResourceManager, DetachPolicyRequest } = require('@alicloud/resourcemanager20200331');

const [warmFile, listFile, concurrency] = process.argv.slice(2);
const role = JSON.parse(process.env.BENCH_ROLE ?? '{}');
const endpoint = new URL(process.env.BENCH_ENDPOINT ?? '');

const client = new ResourceManager(
  new $OpenApiUtil.Config({
    accessKeyId: role.accessKeyId,
    accessKeySecret: role.secret,
    securityToken: role.token,
    endpoint: endpoint.host,
    protocol: endpoint.protocol.replace(':', ''),
    regionId: 'cn-hangzhou',
    readTimeout: 10_000,
    connectTimeout: 5_000,
  }),
);

async function detachAll(list) {
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const params = list[next++];
      await client.detachPolicy(new DetachPolicyRequest(params));
    }
  };
  await Promise.all(Array.from({ length: Math.min(Number(concurrency), list.length) }, worker));
}

async function main() {
  await detachAll(JSON.parse(readFileSync(warmFile, 'utf8')));
  const list = JSON.parse(readFileSync(listFile, 'utf8'));
  const begin = performance.now();
  await detachAll(list);
  const ms = performance.now() - begin;
  return { ms, maxRssKiB: process.resourceUsage().maxRSS };
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
