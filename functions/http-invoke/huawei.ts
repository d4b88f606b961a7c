import { huaweiHttpResponse, parseHuaweiHttp } from '../../shared/events/huawei/http';
import { FUNCTIONGRAPH } from '../../shared/platform/functiongraph';
import { HUAWEI } from '../../shared/providers/huawei';
import { httpInvoke } from '.';

/** FunctionGraph APIG trigger. */
export const handler = httpInvoke(FUNCTIONGRAPH, HUAWEI, {
  parse: parseHuaweiHttp,
  reply: huaweiHttpResponse,
});
