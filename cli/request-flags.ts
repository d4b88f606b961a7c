import * as z from 'zod';
import {
  OPERATION_NAMES,
  type OperationName,
  parseRequest,
  REQUEST_SCHEMAS,
  type RemediationRequest,
} from '../shared/requests';
import { UsageError } from './errors';

const ENVELOPE_FIELDS = new Set(['provider', 'operation', 'account', 'source', 'eventId', 'dryRun']);

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The request fields of an operation as flags, for `apply --help` and error messages. */
export function fieldFlags(operation: OperationName): string[] {
  return Object.keys(REQUEST_SCHEMAS[operation].shape)
    .filter((field) => !ENVELOPE_FIELDS.has(field) || field === 'account')
    .map((field) => `--${kebab(field)}`);
}

/**
 * Turns `alibaba/detach-policy --policy-name X --cascade …` into a validated request, coercing each value
 * to its field's type. Any mistake is a UsageError naming the flag and the rule; nothing is called.
 */
export function requestFromFlags(
  operation: string,
  args: readonly string[],
  dryRun: boolean,
): RemediationRequest {
  if (!(OPERATION_NAMES as string[]).includes(operation)) {
    throw new UsageError(`unknown operation '${operation}' (one of ${OPERATION_NAMES.join(', ')})`);
  }
  const schema = REQUEST_SCHEMAS[operation as OperationName];
  const [provider, name] = operation.split('/');
  const input: Record<string, unknown> = { provider, operation: name };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const [flag = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    const field = camel(flag);
    const type = fieldType(schema.shape, field);
    if (!type || (ENVELOPE_FIELDS.has(field) && field !== 'account')) {
      throw new UsageError(
        `--${flag}: not a field of ${operation} (fields: ${fieldFlags(operation as OperationName).join(' ')})`,
      );
    }
    let value = inline;
    const next = args[i + 1];
    // No field's value may start with '--', so a flag right after a flag means the value is missing.
    const nextIsValue = next !== undefined && !next.startsWith('--');
    if (value === undefined && type === 'boolean' && !nextIsValue) value = 'true';
    if (value === undefined && nextIsValue) value = args[++i];
    if (value === undefined) throw new UsageError(`--${flag}: needs a value`);
    input[field] = coerce(flag, value, type);
  }
  if (dryRun) input.dryRun = true;
  const parsed = parseRequest(input);
  if (!parsed.ok) throw new UsageError(`--${kebab(parsed.field)}: ${parsed.rule}`);
  return parsed.request;
}

type FieldType = 'string' | 'number' | 'boolean';

function fieldType(shape: Record<string, z.ZodType>, field: string): FieldType | undefined {
  let schema: z.ZodType | undefined = shape[field];
  while (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault)
    schema = schema.unwrap() as z.ZodType;
  if (schema === undefined) return undefined;
  if (schema instanceof z.ZodNumber) return 'number';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  return 'string';
}

function coerce(flag: string, value: string, type: FieldType): unknown {
  if (type === 'boolean') {
    if (value !== 'true' && value !== 'false') throw new UsageError(`--${flag}: must be true or false`);
    return value === 'true';
  }
  if (type === 'number') {
    // Integers only: ids are integers, and Number('') or Number('1e3') would hide a typo.
    if (!/^-?\d+$/.test(value)) throw new UsageError(`--${flag}: must be an integer`);
    return Number(value);
  }
  return value;
}
