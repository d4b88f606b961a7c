// The part of @alicloud/fc2 (which ships no types) that `remediate invoke --fc` uses.
declare module '@alicloud/fc2' {
  interface FCClientConfig {
    accessKeyID: string;
    accessKeySecret: string;
    /** Required (and only sent) when the access key id starts with STS. */
    securityToken?: string | undefined;
    region: string;
    /** Full URL with scheme; default https://<account>.<region>.fc.aliyuncs.com. */
    endpoint?: string | undefined;
    secure?: boolean;
    internal?: boolean;
    /** Milliseconds; default 60000. */
    timeout?: number;
    headers?: Record<string, string>;
  }

  interface FCResponse {
    headers: Record<string, string | string[] | undefined>;
    /** Parsed JSON when the answer says application/json, else the body as a string. */
    data: unknown;
  }

  class FCClient {
    constructor(accountId: string, config: FCClientConfig);
    invokeFunction(
      serviceName: string,
      functionName: string,
      event: string | Buffer,
      headers?: Record<string, string>,
      qualifier?: string,
      opts?: { rawBuf?: boolean },
    ): Promise<FCResponse>;
    static getSignature(
      accessKeyID: string,
      accessKeySecret: string,
      method: string,
      path: string,
      headers: Record<string, string | number>,
      queries?: Record<string, string | string[]> | null,
    ): string;
  }

  export = FCClient;
}
