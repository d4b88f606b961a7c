import type { SandboxApiError } from '../errors';
import type { HttpReply } from '../types';
import { AlibabaApiError } from './api-error';

const HOST_ID = 'resourcemanager.aliyuncs.com';
const JSON_HEADERS = { 'content-type': 'application/json;charset=utf-8' };

export function renderSuccess(body: unknown, requestId: string): HttpReply {
  return {
    status: 200,
    headers: { ...JSON_HEADERS, 'x-acs-request-id': requestId },
    body: JSON.stringify({ RequestId: requestId, ...(body as object) }),
  };
}

/** The gateway's JSON error envelope; the SDK reads Code, Message and RequestId from it. */
export function renderError(error: SandboxApiError, requestId: string): HttpReply {
  const extra = error instanceof AlibabaApiError ? error.extra : {};
  return {
    status: error.httpStatus,
    headers: { ...JSON_HEADERS, 'x-acs-request-id': requestId, ...error.headers },
    body: JSON.stringify({
      RequestId: requestId,
      HostId: HOST_ID,
      Code: error.code,
      Message: error.message,
      Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=ResourceManager&requestId=${requestId}`,
      ...extra,
    }),
  };
}
