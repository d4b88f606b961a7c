/** A mistake in how the command was called: reported on stderr with exit code 2, nothing done. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
