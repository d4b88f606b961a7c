import type * as z from 'zod';

/** The first zod issue, in the words every error message of ours uses: the field it names and the rule broken. */
export interface FirstIssue {
  /** The issue's path joined with '.', or the caller's fallback when the path is empty. */
  field: string;
  /** The issue's message ('is invalid' if zod reported no issue). */
  rule: string;
  /** The path itself, for a caller that writes it another way (e.g. `Records[0].CMQ`). */
  path: readonly PropertyKey[];
  /** zod's issue code, for a caller that words one kind of issue its own way. */
  code?: string;
  /** The keys of an `unrecognized_keys` issue, which zod reports on the object, not on the keys. */
  unknownKeys?: readonly string[];
}

/**
 * Only the first issue is reported: one message that names one field is what a person fixes first, and the
 * rest usually follow from it.
 */
export function firstIssue(error: z.ZodError, fallbackField = ''): FirstIssue {
  const issue = error.issues[0];
  if (!issue) return { field: fallbackField, rule: 'is invalid', path: [] };
  return {
    field: issue.path.join('.') || fallbackField,
    rule: issue.message,
    path: issue.path,
    code: issue.code,
    ...(issue.code === 'unrecognized_keys' ? { unknownKeys: issue.keys } : {}),
  };
}
