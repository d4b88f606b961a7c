import type { Provider } from '../requests';
import type { CallResult, ErrorClass, ProviderError } from './types';

/** Network failures of any SDK (Node socket codes): the call may or may not have reached the cloud. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

export interface RawFailure {
  code?: string | undefined;
  httpStatus?: number | undefined;
  message: string;
  requestId?: string | undefined;
  /** True when no answer came back (reset, time-out, refused). */
  network: boolean;
  /** What a person should do, for codes whose remedy the class alone does not say. */
  hint?: string | undefined;
}

/**
 * Classifies one failure with a cloud's table: exact code first, then the longest matching prefix
 * (`Throttling.` covers `Throttling.User`), then the HTTP status, then the network rule.
 * Anything unknown is `ambiguous`: the engine reads the truth before deciding.
 */
export function classify(
  provider: Provider,
  table: Readonly<Record<string, ErrorClass>>,
  failure: RawFailure,
): ProviderError {
  return {
    provider,
    errorClass: classOf(table, failure),
    code: failure.code ?? (failure.httpStatus ? `HTTP${failure.httpStatus}` : 'NetworkError'),
    httpStatus: failure.httpStatus,
    message: failure.message,
    requestId: failure.requestId,
    ...(failure.hint ? { hint: failure.hint } : {}),
  };
}

function classOf(table: Readonly<Record<string, ErrorClass>>, failure: RawFailure): ErrorClass {
  if (failure.network) return 'transient';
  const code = failure.code;
  if (code !== undefined) {
    if (table[code]) return table[code];
    const prefix = Object.keys(table)
      .filter((key) => key.endsWith('.') && code.startsWith(key))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix) return table[prefix] as ErrorClass;
  }
  const status = failure.httpStatus;
  if (status !== undefined && table[`HTTP${status}`]) return table[`HTTP${status}`] as ErrorClass;
  if (status === 429 || (status !== undefined && status >= 500)) return 'transient';
  return 'ambiguous';
}

export function isNetworkCode(code: unknown): boolean {
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/**
 * Adds to an "already gone" failure what does not exist, as `describe` reads it from the vendor code;
 * codes that only say "not attached" describe nothing.
 */
export function withMissing(result: CallResult, describe: (code: string) => string | undefined): CallResult {
  if (result.ok || result.error.errorClass !== 'already-gone') return result;
  const missing = describe(result.error.code);
  return missing ? { ok: false, error: { ...result.error, missing } } : result;
}
