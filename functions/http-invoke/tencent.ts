import { parseTencentHttp, tencentHttpResponse } from '../../shared/events/tencent/http';
import { SCF } from '../../shared/platform/scf';
import { TENCENT } from '../../shared/providers/tencent';
import { httpInvoke } from '.';

/** SCF function URL or API gateway trigger. */
export const main_handler = httpInvoke(SCF, TENCENT, { parse: parseTencentHttp, reply: tencentHttpResponse });
