import { parseTencentHttp, tencentHttpResponse } from '../../shared/events/tencent/http';
import { scfInvocation } from '../../shared/platform/scf';
import { answer } from './answer';

/** SCF function URL or API gateway trigger. */
export const main_handler = (event: unknown, context: unknown) =>
  answer(event, parseTencentHttp, () => scfInvocation(context), tencentHttpResponse);
