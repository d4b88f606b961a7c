// Child process of the cold-invoke bench: the same detach as the audit-log bundle makes, written as a
// user would with the vendor SDK alone (from node_modules). Exits 0 once the call succeeded, printing how
// long loading the SDK took.
const loading = performance.now();
const { GlobalCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
const { IamClient } = require('@huaweicloud/huaweicloud-sdk-iam/v5/IamClient');
const {
  DetachAgencyPolicyReqBody,
} = require('@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyReqBody');
const {
  DetachAgencyPolicyV5Request,
} = require('@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyV5Request');
const loadMs = performance.now() - loading;

const role = JSON.parse(process.env.BENCH_ROLE ?? '{}');
const params = JSON.parse(process.env.BENCH_PARAMS ?? '{}');

const credential = new GlobalCredentials()
  .withAk(role.accessKeyId)
  .withSk(role.secret)
  .withSecurityToken(role.token);
const client = IamClient.newBuilder()
  .withCredential(credential)
  .withEndpoint(process.env.BENCH_ENDPOINT ?? '')
  .build();
client
  .detachAgencyPolicyV5(
    new DetachAgencyPolicyV5Request()
      .withPolicyId(params.policyId)
      .withBody(new DetachAgencyPolicyReqBody().withAgencyId(params.agencyId)),
  )
  .then(
    () => process.stdout.write(`${JSON.stringify({ loadMs })}\n`, () => process.exit(0)),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
