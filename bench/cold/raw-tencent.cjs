// Child process of the cold-invoke bench: the same detach as the audit-log bundle makes, written as a
// user would with the vendor SDK alone (from node_modules). Exits 0 once the call succeeded, printing how
// long loading the SDK took.
const loading = performance.now();
const { organization } = require('tencentcloud-sdk-nodejs/tencentcloud/services/organization');
const loadMs = performance.now() - loading;

const role = JSON.parse(process.env.BENCH_ROLE ?? '{}');
const params = JSON.parse(process.env.BENCH_PARAMS ?? '{}');
const endpoint = new URL(process.env.BENCH_ENDPOINT ?? '');

const client = new organization.v20210331.Client({
  credential: { secretId: role.accessKeyId, secretKey: role.secret, token: role.token },
  region: '',
  profile: { httpProfile: { endpoint: endpoint.host, protocol: `${endpoint.protocol}//`, reqTimeout: 10 } },
});
client.DetachPolicy(params).then(
  () => process.stdout.write(`${JSON.stringify({ loadMs })}\n`, () => process.exit(0)),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
