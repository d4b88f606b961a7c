// Child process of the cold-invoke bench: the same detach as the audit-log bundle makes, written as a
// user would with the vendor SDK alone (from node_modules). Exits 0 once the call succeeded, printing how
// long loading the SDK took.
const loading = performance.now();
const { $OpenApiUtil } = require('@alicloud/openapi-core');
const { default: ResourceManager, DetachPolicyRequest } = require('@alicloud/resourcemanager20200331');
const loadMs = performance.now() - loading;

const role = JSON.parse(process.env.BENCH_ROLE ?? '{}');
const params = JSON.parse(process.env.BENCH_PARAMS ?? '{}');
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
client.detachPolicy(new DetachPolicyRequest(params)).then(
  () => process.stdout.write(`${JSON.stringify({ loadMs })}\n`, () => process.exit(0)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
