import type { Provider } from '../requests';
import { alibabaLister } from './alibaba';
import { huaweiLister } from './huawei';
import type { AttachmentLister } from './listing';
import { tencentLister } from './tencent';

/** The attachment listing of every cloud, for `remediate scan` (function bundles never import it). */
export const ATTACHMENT_LISTERS: Readonly<Record<Provider, AttachmentLister>> = {
  alibaba: alibabaLister,
  tencent: tencentLister,
  huawei: huaweiLister,
};
