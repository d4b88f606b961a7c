import type { ProviderContext } from '../types';
import { iamClient } from './client';

interface SendsRequests {
  hcClient: { sendRequest(options: object): Promise<{ account_id?: unknown }> };
}

/**
 * The Huawei Cloud account (domain) id the credentials act in: IAM v5 `GET /v5/caller-identity`
 * answers `account_id` and needs no identity-policy permission (docs/sources.md, "Account of the
 * credentials"). The IAM SDK of this version has no method for it, so the one request goes through
 * the IAM client's own signed HTTP client, against the same IAM endpoint.
 */
export async function huaweiCallerAccount(context: ProviderContext): Promise<string> {
  const { hcClient } = iamClient(context) as unknown as SendsRequests;
  const answer = await hcClient.sendRequest({
    method: 'GET',
    url: '/v5/caller-identity',
    contentType: 'application/json',
    queryParams: {},
    pathParams: {},
    headers: {},
    data: {},
  });
  const account = answer?.account_id;
  if (typeof account !== 'string' || account === '') throw new Error('caller-identity named no account_id');
  return account;
}
