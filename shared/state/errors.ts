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

/**
 * Wraps whatever a backend threw during `operation`. The cause kept is a copy of the driver error's
 * name, code and message only, with the given secrets removed: a driver error can carry the command it
 * failed on (ioredis puts `AUTH <password>` in `err.command.args`), and thrown errors reach logs.
 */
export function translateError(
  backend: string,
  operation: string,
  error: unknown,
  secrets: readonly (string | undefined)[] = [],
): StateStoreError {
  if (error instanceof StateStoreError) return error;
  const cause = withoutCredentials(error, secrets);
  return new StateStoreError(`${backend} state store: ${operation} failed: ${cause.message}`, { cause });
}

/** A plain Error with the original's name, message and code, every secret replaced by [redacted]. */
export function withoutCredentials(error: unknown, secrets: readonly (string | undefined)[]): Error {
  const scrub = (text: string) =>
    secrets.reduce<string>(
      (result, secret) => (secret && secret.length >= 4 ? result.split(secret).join('[redacted]') : result),
      text,
    );
  const original = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(scrub(original.message));
  copy.name = original.name;
  const code = (original as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
  return copy;
}

/**
 * Outcomes and dead-letter records are stored as JSON in every backend (the memory one included, so all
 * three answer the same values and a caller cannot mutate what is stored). `undefined` becomes null.
 */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : text;
}
