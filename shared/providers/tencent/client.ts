import { organization } from 'tencentcloud-sdk-nodejs/tencentcloud/services/organization';
import { ClientCache } from '../client-cache';
import type { ProviderContext } from '../types';

// "Domain name for API request: organization.intl.tencentcloudapi.com" (Organization DetachPolicy API page,
// docs/sources.md, Vendor API pages).
export const TENCENT_ENDPOINT = 'https://organization.intl.tencentcloudapi.com';

export type OrganizationClient = InstanceType<typeof organization.v20210331.Client>;

const cache = new ClientCache<OrganizationClient>(
  (context, endpoint) =>
    new organization.v20210331.Client({
      credential: {
        secretId: context.credentials.accessKeyId,
        secretKey: context.credentials.accessKeySecret,
        token: context.credentials.securityToken,
      },
      region: '',
      profile: {
        httpProfile: {
          endpoint: endpoint.host,
          protocol: `${endpoint.protocol}//`,
          reqTimeout: Math.max(1, Math.ceil(context.timeoutMs / 1000)),
        },
      },
    }),
);

export function organizationClient(context: ProviderContext): OrganizationClient {
  return cache.get(context, TENCENT_ENDPOINT);
}
