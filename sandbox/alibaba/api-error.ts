import { SandboxApiError } from '../errors';

/** An Alibaba error that carries extra envelope fields (e.g. `AccessDeniedDetail`) next to Code/Message. */
export class AlibabaApiError extends SandboxApiError {
  constructor(
    code: string,
    message: string,
    httpStatus: number,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code, message, httpStatus);
  }
}

export const fail = (code: string, message: string, status: number) =>
  new AlibabaApiError(code, message, status);
