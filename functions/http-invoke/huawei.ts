import { huaweiHttpResponse, parseHuaweiHttp } from '../../shared/events/huawei/http';
import { functionGraphInvocation } from '../../shared/platform/functiongraph';
import { answer } from './answer';

/** FunctionGraph APIG trigger. */
export const handler = (event: unknown, context: unknown) =>
  answer(event, parseHuaweiHttp, () => functionGraphInvocation(context), huaweiHttpResponse);
