import OpenApi, { $OpenApiUtil } from '@alicloud/openapi-core';
import { ClientCache } from '../client-cache';
import type { ProviderContext } from '../types';

// STS GetCallerIdentity (2015-04-01), "sts.aliyuncs.com": answers AccountId, UserId, Arn, IdentityType;
// it needs no RAM permission (docs/sources.md, "Account of the credentials").
export const ALIBABA_STS_ENDPOINT = 'https://sts.aliyuncs.com';

// The one call is signed by the OpenAPI client the Resource Manager SDK already brings, so the bundles
// gain no STS package.
const cache = new ClientCache(
  (context, endpoint) =>
    new OpenApi(
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

/** The Alibaba Cloud account (its numeric id) the credentials act in. */
export async function alibabaCallerAccount(context: ProviderContext): Promise<string> {
  const client = cache.get(context, ALIBABA_STS_ENDPOINT);
  const params = new $OpenApiUtil.Params({
    action: 'GetCallerIdentity',
    version: '2015-04-01',
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
  const answer = await client.callApi(params, new $OpenApiUtil.OpenApiRequest({}), {} as never);
  const account = (answer?.body as { AccountId?: unknown } | undefined)?.AccountId;
  if (typeof account !== 'string' || account === '') throw new Error('GetCallerIdentity named no AccountId');
  return account;
}
