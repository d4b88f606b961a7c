import { GlobalCredentials } from '@huaweicloud/huaweicloud-sdk-core';
import { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
import { DefaultHttpClient } from '@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpClient';
import { LogLevel, type Logger as SdkLogger } from '@huaweicloud/huaweicloud-sdk-core/logger';
import { IamClient } from '@huaweicloud/huaweicloud-sdk-iam/v5/IamClient';
import { logger } from '../../logger';
import { ClientCache } from '../client-cache';
import type { ProviderContext } from '../types';

export const HUAWEI_ENDPOINT = 'https://iam.myhuaweicloud.com';

const sdkLog = logger.child({ sdk: 'huawei' });

/**
 * The SDK's default logger prints every failed request to stdout in colour with its whole axios
 * config: the Authorization header and X-Security-Token in clear. This one keeps only the SDK's own
 * words (the string arguments) and drops every object, so nothing of a request can reach a log.
 */
const quietLogger: SdkLogger = {
  debug: () => {},
  info: () => {},
  warn: (...args: unknown[]) => sdkLog.debug({ sdkMessage: wordsOf(args) }, 'huawei sdk warning'),
  error: (...args: unknown[]) => sdkLog.debug({ sdkMessage: wordsOf(args) }, 'huawei sdk error'),
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

function wordsOf(args: unknown[]): string {
  return args
    .filter((a): a is string => typeof a === 'string')
    .join(' ')
    .slice(0, 200);
}

// Built by hand because ClientBuilder cannot take a logger; the SDK's default time-out is 0 (forever).
const cache = new ClientCache((context, endpoint) => {
  const url = endpoint.origin;
  let credential = new GlobalCredentials()
    .withAk(context.credentials.accessKeyId)
    .withSk(context.credentials.accessKeySecret);
  if (context.credentials.securityToken)
    credential = credential.withSecurityToken(context.credentials.securityToken);
  const http = new DefaultHttpClient(
    { logger: quietLogger, axiosRequestConfig: { timeout: context.timeoutMs } },
    [url],
  );
  return new IamClient(quietHcClient(http).withCredential(credential).withEndpoints([url]));
});

/**
 * HcClient takes no logger: it makes a log4js one that, with the SDK's DEBUG=DEBUG switch, prints
 * coloured lines to stdout, outside our JSON log. It logs once while constructed (with the switch
 * hidden for that synchronous moment) and otherwise through the field replaced here.
 */
function quietHcClient(http: DefaultHttpClient): HcClient {
  const debug = process.env.DEBUG;
  delete process.env.DEBUG;
  try {
    return Object.assign(new HcClient(http), { logger: quietLogger });
  } finally {
    if (debug !== undefined) process.env.DEBUG = debug;
  }
}

export function iamClient(context: ProviderContext): IamClient {
  return cache.get(context, HUAWEI_ENDPOINT);
}
