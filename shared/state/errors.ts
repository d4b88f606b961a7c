/**
 * The one error the state stores throw. Driver errors (SqliteError, ioredis' ReplyError and connection
 * errors, a JSON failure) are translated here so callers never depend on which backend is configured.
 */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Wraps whatever a backend threw during `operation`, keeping the original as `cause`. */
export function translateError(backend: string, operation: string, error: unknown): StateStoreError {
  if (error instanceof StateStoreError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StateStoreError(`${backend} state store: ${operation} failed: ${detail}`, { cause: error });
}

/**
 * Outcomes and dead-letter records are stored as JSON in every backend (the memory one included, so all
 * three answer the same values and a caller cannot mutate what is stored). `undefined` becomes null.
 */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}
