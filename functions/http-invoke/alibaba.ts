import { alibabaHttpResponse, parseAlibabaHttp } from '../../shared/events/alibaba/http';
import { fcEventPayload, fcInvocation } from '../../shared/platform/fc';
import { answer } from './answer';

/** Function Compute 3.0 HTTP trigger. */
export const handler = (event: unknown, context: unknown) =>
  answer(fcEventPayload(event), parseAlibabaHttp, () => fcInvocation(context), alibabaHttpResponse);
