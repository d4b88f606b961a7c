import { organization } from 'tencentcloud-sdk-nodejs/tencentcloud/services/organization';
import { ClientCache } from '../client-cache';
import type { ProviderContext } from '../types';

// "Domain name for API request: organization.intl.tencentcloudapi.com" (Organization DetachPolicy API page,
// docs/sources.md, Vendor API pages).
export const TENCENT_ENDPOINT = 'https://organization.intl.tencentcloudapi.com';

export type OrganizationClient = InstanceType<typeof organization.v20210331.Client>;

/**
 * What every Tencent API 3.0 client is built with: the context's credentials, its endpoint (the sandbox's in
 * tests) and its time-out in whole seconds.
 */
export function tencentClientOptions(context: ProviderContext, endpoint: URL, region: string) {
  return {
    credential: {
      secretId: context.credentials.accessKeyId,
      secretKey: context.credentials.accessKeySecret,
      token: context.credentials.securityToken,
    },
    region,
    profile: {
      httpProfile: {
        endpoint: endpoint.host,
        protocol: `${endpoint.protocol}//`,
        reqTimeout: Math.max(1, Math.ceil(context.timeoutMs / 1000)),
      },
    },
  };
}

const cache = new ClientCache<OrganizationClient>(
  (context, endpoint) => new organization.v20210331.Client(tencentClientOptions(context, endpoint, '')),
);

export function organizationClient(context: ProviderContext): OrganizationClient {
  return cache.get(context, TENCENT_ENDPOINT);
}
