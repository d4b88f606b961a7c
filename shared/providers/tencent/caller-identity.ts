import type * as StsModule from 'tencentcloud-sdk-nodejs/tencentcloud/services/sts';
import { ClientCache } from '../client-cache';
import type { ProviderContext } from '../types';
import { tencentClientOptions } from './client';

// STS GetCallerIdentity (2018-08-13), "sts.tencentcloudapi.com": AccountId is the root account's UIN,
// the account every sub-user and role session of it acts in (docs/sources.md, "Account of the credentials").
export const TENCENT_STS_ENDPOINT = 'https://sts.intl.tencentcloudapi.com';

type StsClient = InstanceType<typeof StsModule.sts.v20180813.Client>;

// Required when first asked: SCF names the account in its context (tencentcloud_uin), so most invocations
// never call STS and a cold start need not load its client.
const cache = new ClientCache<StsClient>((context, endpoint) => {
  const { sts } = require('tencentcloud-sdk-nodejs/tencentcloud/services/sts') as typeof StsModule;
  return new sts.v20180813.Client(tencentClientOptions(context, endpoint, 'ap-guangzhou'));
});

/** The Tencent Cloud root account (UIN) the credentials act in. */
export async function tencentCallerAccount(context: ProviderContext): Promise<string> {
  const answer = await cache.get(context, TENCENT_STS_ENDPOINT).GetCallerIdentity();
  const account = answer.AccountId;
  if (typeof account !== 'string' || account === '') throw new Error('GetCallerIdentity named no AccountId');
  return account;
}
