/**
 * A failure the sandbox answers with, independent of any vendor's envelope.
 * Each dialect renders it the way its cloud does (Alibaba JSON with HTTP status,
 * Tencent HTTP 200 with Response.Error, Huawei error_code with HTTP status).
 */
export class SandboxApiError extends Error {
  override readonly name = 'SandboxApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The few failures every dialect must be able to produce, each in its cloud's words. */
export interface CommonErrors {
  unknownAction(action: string): SandboxApiError;
  malformed(detail: string): SandboxApiError;
  throttled(): SandboxApiError;
  serverError(): SandboxApiError;
  /** The slow, retryable "busy" state: a resource group or entity in transition. */
  busy(): SandboxApiError;
  internal(): SandboxApiError;
  /** The refusal of a write while another change of the same directory runs; undefined where none exists. */
  concurrentCall?(action: string): SandboxApiError | undefined;
}
