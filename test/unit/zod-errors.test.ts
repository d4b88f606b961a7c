import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { firstIssue } from '../../shared/zod-errors';

function errorOf(schema: z.ZodType, value: unknown): z.ZodError {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected the value to fail');
  return parsed.error;
}

const request = z.strictObject({
  provider: z.string('must be a string'),
  targets: z.array(z.object({ id: z.number('must be a number') })),
});

describe('firstIssue', () => {
  it('names the field by its path joined with dots, and the rule by the message', () => {
    const issue = firstIssue(errorOf(request, { provider: 'x', targets: [{ id: 1 }, { id: 'two' }] }));
    expect(issue).toMatchObject({ field: 'targets.1.id', rule: 'must be a number', code: 'invalid_type' });
    expect(issue.path).toEqual(['targets', 1, 'id']);
    expect(issue.unknownKeys).toBeUndefined();
  });

  it('reports only the first of several issues', () => {
    expect(firstIssue(errorOf(request, { provider: 1, targets: 'no' })).field).toBe('provider');
  });

  it('uses the fallback when the issue is on the value itself', () => {
    expect(firstIssue(errorOf(request, 'text'), '(request)')).toMatchObject({ field: '(request)', path: [] });
    expect(firstIssue(errorOf(request, 'text')).field).toBe('');
  });

  it('ignores the fallback when the path names a field', () => {
    expect(firstIssue(errorOf(request, { provider: 2, targets: [] }), 'body').field).toBe('provider');
  });

  it('lists the keys of unrecognized_keys, which zod reports on the object', () => {
    const issue = firstIssue(errorOf(request, { provider: 'x', targets: [], extra: 1, more: 2 }), 'body');
    expect(issue).toMatchObject({ field: 'body', code: 'unrecognized_keys', unknownKeys: ['extra', 'more'] });
  });

  it('answers a ZodError without issues with the fallback and a generic rule', () => {
    expect(firstIssue(new z.ZodError([]), 'event')).toEqual({ field: 'event', rule: 'is invalid', path: [] });
  });
});
