import { $OpenApiUtil } from '@alicloud/openapi-core';
import ResourceManager from '@alicloud/resourcemanager20200331';
import { ClientCache } from '../client-cache';
import type { ProviderContext } from '../types';

export const ALIBABA_ENDPOINT = 'https://resourcemanager.aliyuncs.com';

// No retryOptions: openapi-core then makes exactly one attempt; the engine owns retries and their budget.
const cache = new ClientCache(
  (context, endpoint) =>
    new ResourceManager(
      new $OpenApiUtil.Config({
        accessKeyId: context.credentials.accessKeyId,
        accessKeySecret: context.credentials.accessKeySecret,
        securityToken: context.credentials.securityToken,
        endpoint: endpoint.host,
        protocol: endpoint.protocol.replace(':', ''),
        regionId: 'cn-hangzhou',
        readTimeout: context.timeoutMs,
        connectTimeout: Math.min(context.timeoutMs, 5_000),
      }),
    ),
);

export function resourceManager(context: ProviderContext): ResourceManager {
  return cache.get(context, ALIBABA_ENDPOINT);
}
