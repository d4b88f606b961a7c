import { handler as alibabaAudit } from '../functions/audit-log/alibaba';
import { handler as huaweiAudit } from '../functions/audit-log/huawei';
import { main_handler as tencentAudit } from '../functions/audit-log/tencent';
import { handler as alibabaHttp } from '../functions/http-invoke/alibaba';
import { handler as alibabaQueue } from '../functions/queue-cleanup/alibaba';
import { handler as huaweiQueue } from '../functions/queue-cleanup/huawei';
import { main_handler as tencentQueue } from '../functions/queue-cleanup/tencent';
import { type FunctionHandler, FunctionRuntime } from '../functions/runtime';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET } from '../sandbox/keys';
import { PLATFORMS } from '../shared/platform/all';
import type { FakeCall } from '../shared/platform/platform';
import { SCF } from '../shared/platform/scf';
import type { Provider } from '../shared/requests';

const AUDIT: Readonly<Record<Provider, FunctionHandler<unknown>>> = {
  alibaba: alibabaAudit,
  tencent: tencentAudit,
  huawei: huaweiAudit,
};
const QUEUE: Readonly<Record<Provider, FunctionHandler<unknown>>> = {
  alibaba: alibabaQueue,
  tencent: tencentQueue,
  huawei: huaweiQueue,
};

/** The sandbox's default key, where a platform would hand the function role's temporary credentials. */
const CALL: FakeCall = {
  credentials: { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_SECRET },
  timeoutMs: 60_000,
};

/**
 * The deployed functions, called as their platforms call them (each platform's fake handler call), over one
 * runtime of their own: its variables are given here, never written into this process's environment.
 */
export class LocalFunctions {
  readonly runtime: FunctionRuntime;

  constructor(variables: Record<string, string>) {
    // SCF hands the role's credentials in the environment, not the context.
    this.runtime = new FunctionRuntime({ ...process.env, ...variables, ...SCF.fake(undefined, CALL).env });
  }

  auditLog(cloud: Provider, event: unknown): Promise<unknown> {
    return this.call(AUDIT[cloud], cloud, event);
  }

  queueCleanup(cloud: Provider, event: unknown): Promise<unknown> {
    return this.call(QUEUE[cloud], cloud, event);
  }

  http(event: unknown): Promise<unknown> {
    return this.call(alibabaHttp, 'alibaba', event);
  }

  /** The Alibaba functions as FC runs them when invoked through the FC API (`remediate invoke --fc`). */
  fc(name: string, payload: Buffer): Promise<unknown> {
    const handler = { 'audit-log': alibabaAudit, 'queue-cleanup': alibabaQueue, 'http-invoke': alibabaHttp }[
      name
    ];
    if (!handler) throw new Error(`no function ${name} in the local FC service`);
    return this.call(handler, 'alibaba', payload);
  }

  static readonly FC_FUNCTION_NAMES = ['audit-log', 'queue-cleanup', 'http-invoke'] as const;

  private call(handler: FunctionHandler<unknown>, cloud: Provider, event: unknown): Promise<unknown> {
    const fake = PLATFORMS[cloud].fake(event, CALL);
    return handler.on(this.runtime)(fake.event, fake.context);
  }
}
