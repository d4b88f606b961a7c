import { alibabaHttpResponse, parseAlibabaHttp } from '../../shared/events/alibaba/http';
import { FC } from '../../shared/platform/fc';
import { ALIBABA } from '../../shared/providers/alibaba';
import { httpInvoke } from '.';

/** Function Compute 3.0 HTTP trigger. */
export const handler = httpInvoke(FC, ALIBABA, { parse: parseAlibabaHttp, reply: alibabaHttpResponse });
