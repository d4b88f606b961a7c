import * as z from 'zod';
import { firstIssue } from './zod-errors';

/**
 * RemediationRequest: the one shape every trigger is turned into and every layer speaks.
 * Field rules come from the vendor API pages (docs/sources.md, Vendor API pages) and are enforced before any
 * call, so invalid input never reaches a cloud API.
 */

export const PROVIDERS = ['alibaba', 'tencent', 'huawei'] as const;
export type Provider = (typeof PROVIDERS)[number];

// Resource Manager DetachPolicy and DeletePolicy API pages: "1 to 128 characters in length and can contain
// letters, digits, and hyphen (-)". (DeletePolicy's error message says 1 to 64; the parameter rule is the
// contract, so 128 it is.)
const alibabaPolicyName = () =>
  z
    .string()
    .min(1, 'must be 1 to 128 characters')
    .max(128, 'must be 1 to 128 characters')
    .regex(/^[A-Za-z0-9-]+$/, 'may contain only letters, digits and hyphens (-)');

// The API pages give no rule for these ids; their documented shapes are rg-…/account id, cp-…,
// r-…/fd-…/account id.
const alibabaResourceGroupId = () =>
  z
    .string()
    .regex(
      /^(rg-[A-Za-z0-9]{1,64}|\d{1,32})$/,
      'must be a resource group id (rg-…) or an account id (digits)',
    );
const alibabaControlPolicyId = () =>
  z.string().regex(/^cp-[A-Za-z0-9]{1,64}$/, 'must be a control policy id (cp-…)');
const alibabaTargetId = () =>
  z
    .string()
    .regex(
      /^(r-[A-Za-z0-9]{1,64}|fd-[A-Za-z0-9]{1,64}|\d{1,32})$/,
      'must be a Root folder (r-…), folder (fd-…) or member account id',
    );
// RAM principals: users as name@alias.onaliyun.com, groups and roles as names (letters, digits, . _ -).
const alibabaPrincipalName = () =>
  z
    .string()
    .min(1, 'must be 1 to 128 characters')
    .max(128, 'must be 1 to 128 characters')
    .regex(/^[A-Za-z0-9._@-]+$/, 'may contain only letters, digits and . _ @ -');

// Organization DetachPolicy API page: TargetId and PolicyId are Integers (uins and ids, positive).
const tencentId = () =>
  z.number().int('must be an integer').positive('must be positive').max(Number.MAX_SAFE_INTEGER);

// IAM v5 DetachAgencyPolicyV5 API page, for both ids: "1 to 64 characters, including only letters, digits,
// and hyphens (-)".
const huaweiId = () =>
  z
    .string()
    .min(1, 'must be 1 to 64 characters')
    .max(64, 'must be 1 to 64 characters')
    .regex(/^[A-Za-z0-9-]+$/, 'may contain only letters, digits and hyphens (-)');

/** Where the order came from and how to treat it; common to every request. */
const envelope = () => ({
  /** The account the request acts in (the caller's own when absent). */
  account: z.string().min(1).max(64).optional(),
  source: z.string().min(1).max(256).optional(),
  eventId: z.string().min(1).max(512).optional(),
  dryRun: z.boolean().optional(),
});

const alibabaDetachPolicy = () =>
  z
    .object({
      provider: z.literal('alibaba'),
      operation: z.literal('detach-policy'),
      resourceGroupId: alibabaResourceGroupId(),
      policyType: z.enum(['Custom', 'System']),
      policyName: alibabaPolicyName(),
      principalType: z.enum(['IMSUser', 'IMSGroup', 'ServiceRole']),
      principalName: alibabaPrincipalName(),
      ...envelope(),
    })
    .strict();

const alibabaDetachControlPolicy = () =>
  z
    .object({
      provider: z.literal('alibaba'),
      operation: z.literal('detach-control-policy'),
      policyId: alibabaControlPolicyId(),
      targetId: alibabaTargetId(),
      ...envelope(),
    })
    .strict();

const alibabaDeletePolicy = () =>
  z
    .object({
      provider: z.literal('alibaba'),
      operation: z.literal('delete-policy'),
      policyName: alibabaPolicyName(),
      /** Detach from every principal and delete non-default versions first. */
      cascade: z.boolean().optional(),
      ...envelope(),
    })
    .strict();

const tencentDetachPolicy = () =>
  z
    .object({
      provider: z.literal('tencent'),
      operation: z.literal('detach-policy'),
      policyId: tencentId(),
      targetId: tencentId(),
      targetType: z.enum(['NODE', 'MEMBER']),
      type: z.enum(['SERVICE_CONTROL_POLICY', 'TAG_POLICY']).default('SERVICE_CONTROL_POLICY'),
      ...envelope(),
    })
    .strict();

const huaweiDetachAgencyPolicy = () =>
  z
    .object({
      provider: z.literal('huawei'),
      operation: z.literal('detach-agency-policy'),
      policyId: huaweiId(),
      agencyId: huaweiId(),
      ...envelope(),
    })
    .strict();

/**
 * Every `provider/operation` with the builder of its schema. Schemas are built when first used: a function
 * bundle validates its own cloud's operations only, and a cold start should not build the others.
 */
const SCHEMA_BUILDERS = {
  'alibaba/detach-policy': alibabaDetachPolicy,
  'alibaba/detach-control-policy': alibabaDetachControlPolicy,
  'alibaba/delete-policy': alibabaDeletePolicy,
  'tencent/detach-policy': tencentDetachPolicy,
  'huawei/detach-agency-policy': huaweiDetachAgencyPolicy,
} as const;
type Schemas = { [K in keyof typeof SCHEMA_BUILDERS]: ReturnType<(typeof SCHEMA_BUILDERS)[K]> };

export type AlibabaDetachPolicy = z.infer<Schemas['alibaba/detach-policy']>;
export type AlibabaDetachControlPolicy = z.infer<Schemas['alibaba/detach-control-policy']>;
export type AlibabaDeletePolicy = z.infer<Schemas['alibaba/delete-policy']>;
export type TencentDetachPolicy = z.infer<Schemas['tencent/detach-policy']>;
export type HuaweiDetachAgencyPolicy = z.infer<Schemas['huawei/detach-agency-policy']>;
export type RemediationRequest = z.infer<Schemas[keyof Schemas]>;
type NameOf<R> = R extends { provider: infer P extends string; operation: infer O extends string }
  ? `${P}/${O}`
  : never;
export type OperationName = NameOf<RemediationRequest>;

/** Every `provider/operation` with its schema: the registry the CLI and parsers validate against. */
export const REQUEST_SCHEMAS: Readonly<Record<OperationName, Schemas[keyof Schemas]>> =
  builtOnFirstUse(SCHEMA_BUILDERS);

export const OPERATION_NAMES = Object.keys(SCHEMA_BUILDERS) as OperationName[];

/** The envelope's fields (`envelope()`), part of every request. */
const ENVELOPE_FIELDS = ['account', 'source', 'eventId', 'dryRun'] as const;

/**
 * The fields of each operation's request, as its schema's shape names them, for checking a rules file
 * without building every schema: a function bundle validates its own cloud's requests only, yet its rules
 * file names every cloud's operations. A test holds them equal to the schemas' shapes.
 */
export const REQUEST_FIELDS: Readonly<Record<OperationName, readonly string[]>> = {
  'alibaba/detach-policy': [
    'provider',
    'operation',
    'resourceGroupId',
    'policyType',
    'policyName',
    'principalType',
    'principalName',
    ...ENVELOPE_FIELDS,
  ],
  'alibaba/detach-control-policy': ['provider', 'operation', 'policyId', 'targetId', ...ENVELOPE_FIELDS],
  'alibaba/delete-policy': ['provider', 'operation', 'policyName', 'cascade', ...ENVELOPE_FIELDS],
  'tencent/detach-policy': [
    'provider',
    'operation',
    'policyId',
    'targetId',
    'targetType',
    'type',
    ...ENVELOPE_FIELDS,
  ],
  'huawei/detach-agency-policy': ['provider', 'operation', 'policyId', 'agencyId', ...ENVELOPE_FIELDS],
};

/** A record whose values are built on first read, then kept (listing its keys builds nothing). */
function builtOnFirstUse<T extends Record<string, () => unknown>>(
  builders: T,
): { readonly [K in keyof T]: ReturnType<T[K]> } {
  const record = {} as { [K in keyof T]: ReturnType<T[K]> };
  for (const [key, build] of Object.entries(builders)) {
    Object.defineProperty(record, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = build();
        Object.defineProperty(record, key, { value, enumerable: true });
        return value;
      },
    });
  }
  return record;
}

export type ParseResult =
  | { ok: true; request: RemediationRequest }
  | { ok: false; field: string; rule: string };

/**
 * zod compiles a fast parser for an object schema (`new Function`, about 1.5 ms) on its first parse; it
 * saves about 8 µs a parse, so it pays after some 200 parses, never on a cold start's few requests (an
 * audit record's target may list several). A schema is parsed without it until it has been parsed
 * JIT_AFTER times: a warm container working through a batch gets the compiled parser from then on.
 */
export const JIT_AFTER = 100;
const parses = new WeakMap<z.ZodType, number>();
function parseOptions(schema: z.ZodType): { jitless: true } | undefined {
  const count = parses.get(schema) ?? 0;
  if (count >= JIT_AFTER) return undefined;
  parses.set(schema, count + 1);
  return { jitless: true };
}

/** Validates unknown input into a request; a failure names the first bad field and the rule it breaks. */
export function parseRequest(input: unknown): ParseResult {
  const named = namedOperation(input);
  if ('field' in named)
    return { ok: false, field: named.field, rule: 'must name a provider and an operation' };
  const name = `${named.provider}/${named.operation}`;
  const schema = REQUEST_SCHEMAS[name as OperationName];
  if (!schema) {
    if (!(PROVIDERS as readonly string[]).includes(named.provider))
      return { ok: false, field: 'provider', rule: `unknown provider (one of ${PROVIDERS.join(', ')})` };
    return {
      ok: false,
      field: 'operation',
      rule: `unknown operation '${name}' (one of ${OPERATION_NAMES.join(', ')})`,
    };
  }
  const parsed = schema.safeParse(input, parseOptions(schema));
  if (parsed.success) return { ok: true, request: parsed.data };
  const { field, rule, path, code, unknownKeys } = firstIssue(parsed.error);
  return {
    ok: false,
    field: field || unknownKeys?.join(', ') || '(request)',
    rule: unknownKeys
      ? 'is not a field of this operation'
      : code === 'invalid_type' &&
          path.length === 1 &&
          (input as Record<PropertyKey, unknown>)[path[0] as PropertyKey] === undefined
        ? 'is required'
        : rule,
  };
}

/**
 * The first check of any input, on every message of a batch: which operation it names, or the field that
 * does not say. Written out rather than a zod object, which it matches: only a plain object (not an array,
 * date, map or function) whose provider and operation are strings.
 */
function namedOperation(input: unknown): { provider: string; operation: string } | { field: string } {
  if (Object.prototype.toString.call(input) !== '[object Object]') return { field: 'provider' };
  const { provider, operation } = input as Record<string, unknown>;
  if (typeof provider !== 'string') return { field: 'provider' };
  if (typeof operation !== 'string') return { field: 'operation' };
  return { provider, operation };
}

export function operationOf(request: RemediationRequest): OperationName {
  return `${request.provider}/${request.operation}` as OperationName;
}

/** A short, readable name of what a request acts on, for logs, reports and dead letters. */
export function targetOf(request: RemediationRequest): string {
  switch (request.operation) {
    case 'detach-policy':
      return request.provider === 'alibaba'
        ? `${request.resourceGroupId} ${request.principalType}:${request.principalName} ${request.policyType}:${request.policyName}`
        : `${request.targetType}:${request.targetId} ${request.type}:${request.policyId}`;
    case 'detach-control-policy':
      return `${request.targetId} ${request.policyId}`;
    case 'delete-policy':
      return `Custom:${request.policyName}${request.cascade ? ' (cascade)' : ''}`;
    case 'detach-agency-policy':
      return `agency:${request.agencyId} policy:${request.policyId}`;
  }
}
