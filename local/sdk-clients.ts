/**
 * Unmodified vendor SDK clients pointed at the sandbox, as a user's code would build them: the `npm start`
 * demo, the tests and the benches act with them as a person would. Nothing in shared/ or functions/ imports
 * this: the project's own SDK use lives in shared/providers.
 */

import { $OpenApiUtil } from '@alicloud/openapi-core';
import ResourceManager from '@alicloud/resourcemanager20200331';
import * as huaweiCore from '@huaweicloud/huaweicloud-sdk-core';
import { IamClient } from '@huaweicloud/huaweicloud-sdk-iam/v5/IamClient';
import { organization } from 'tencentcloud-sdk-nodejs/tencentcloud/services/organization';

export interface TestCredentials {
  accessKeyId?: string;
  secret?: string;
  token?: string;
  /** Read time-out of one call (default 5 s). */
  timeoutMs?: number;
}

/** How the Tencent SDK signs: TC3 (its default) or the older v1 methods with parameters in the query/body. */
export interface TencentSigning {
  signMethod?: 'TC3-HMAC-SHA256' | 'HmacSHA1' | 'HmacSHA256';
  reqMethod?: 'GET' | 'POST';
}

const DEFAULT = { accessKeyId: 'sandbox', secret: 'sandbox-secret' };

export function alibabaClient(url: string, creds: TestCredentials = {}): ResourceManager {
  const { host } = new URL(url);
  const c = { ...DEFAULT, ...creds };
  return new ResourceManager(
    new $OpenApiUtil.Config({
      accessKeyId: c.accessKeyId,
      accessKeySecret: c.secret,
      securityToken: c.token,
      endpoint: host,
      protocol: 'http',
      regionId: 'cn-hangzhou',
      // No retryOptions: openapi-core then makes exactly one attempt, so tests see every single answer.
      readTimeout: c.timeoutMs ?? 5_000,
      connectTimeout: 2_000,
    }),
  );
}

export type TencentOrganizationClient = InstanceType<typeof organization.v20210331.Client>;

export function tencentClient(
  url: string,
  creds: TestCredentials = {},
  signing: TencentSigning = {},
): TencentOrganizationClient {
  const { host } = new URL(url);
  const c = { ...DEFAULT, ...creds };
  return new organization.v20210331.Client({
    credential: { secretId: c.accessKeyId, secretKey: c.secret, token: c.token },
    region: '',
    profile: {
      ...(signing.signMethod ? { signMethod: signing.signMethod } : {}),
      httpProfile: {
        endpoint: host,
        protocol: 'http://',
        reqTimeout: 5,
        ...(signing.reqMethod ? { reqMethod: signing.reqMethod } : {}),
      },
    },
  });
}

export function huaweiClient(url: string, creds: TestCredentials = {}): IamClient {
  const c = { ...DEFAULT, ...creds };
  let credential = new huaweiCore.GlobalCredentials().withAk(c.accessKeyId).withSk(c.secret);
  if (c.token) credential = credential.withSecurityToken(c.token);
  return IamClient.newBuilder().withCredential(credential).withEndpoint(url).build();
}
