import * as z from 'zod';
import { OPERATION_NAMES, type OperationName, PROVIDERS, REQUEST_FIELDS } from '../requests';

/** A value to compare with a request field: exact, or a glob (`*`, `?`) for strings; a list means any of them. */
const scalar = z.union([z.string().min(1), z.number(), z.boolean()]);
const matcher = z.record(z.string(), z.union([scalar, z.array(scalar).min(1)]));

/** Every field of every request; built when an exemption is first checked. */
let matchableFields: Set<string> | undefined;
const matchingFields = (): Set<string> => {
  matchableFields ??= new Set(Object.values(REQUEST_FIELDS).flat());
  return matchableFields;
};

const rule = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and hyphens'),
    provider: z.enum(PROVIDERS),
    operation: z.string(),
    description: z.string().optional(),
    when: matcher.optional(),
    unless: matcher.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const name = `${r.provider}/${r.operation}`;
    // The fields, not the schema: checking a rule builds no request schema (a bundle needs its cloud's only).
    const fields = Object.hasOwn(REQUEST_FIELDS, name) ? REQUEST_FIELDS[name as OperationName] : undefined;
    if (!fields) {
      ctx.addIssue({
        code: 'custom',
        path: ['operation'],
        message: `no operation ${name} (one of ${OPERATION_NAMES.join(', ')})`,
      });
      return;
    }
    for (const part of ['when', 'unless'] as const) {
      for (const field of Object.keys(r[part] ?? {})) {
        if (!fields.includes(field)) {
          ctx.addIssue({ code: 'custom', path: [part, field], message: `${name} has no field '${field}'` });
        }
      }
    }
  });

const exemption = z
  .object({
    /** The rule it exempts from; absent: every rule and every explicit order. */
    rule: z.string().optional(),
    when: matcher.refine((m) => Object.keys(m).length > 0, 'must name at least one field'),
    reason: z.string().min(1),
    owner: z.string().min(1),
    /** Last day it applies (UTC); from the next day on it is ignored, with a warning. */
    expires: z.iso.date('must be a date, YYYY-MM-DD'),
  })
  .strict()
  .superRefine((e, ctx) => {
    const fields = matchingFields();
    for (const field of Object.keys(e.when)) {
      if (!fields.has(field))
        ctx.addIssue({ code: 'custom', path: ['when', field], message: `no request has a field '${field}'` });
    }
  });

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, 'must be a duration such as 500ms, 30s, 10m or 1h')
  .transform((value) => {
    const [, amount = '0', unit = 'ms'] = /^(\d+)(ms|s|m|h)$/.exec(value) ?? [];
    return Number(amount) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  });

/** At most `maxActions` mutating calls per cloud account in any sliding `window`. */
const budget = z.object({ maxActions: z.number().int().positive(), window: duration }).strict();
const budgets = z.object({ audit: budget.optional(), explicit: budget.optional() }).strict();
/** What the rules file may write under `breaker` (for the JSON schema): both budgets, or the flat audit one. */
export const breakerInput = z.union([budget, budgets]);

/** The flat `{ maxActions, window }` form of earlier files is the audit budget. */
function flatIsAudit(value: unknown): unknown {
  const flat = typeof value === 'object' && value !== null && ('maxActions' in value || 'window' in value);
  return flat ? { audit: value } : value;
}

/** Audit-log enforcement: a runaway rule or a flood of events stops after 50 changes in 10 minutes. */
const DEFAULT_AUDIT_BUDGET = { maxActions: 50, window: 600_000 };
/**
 * Explicit orders: 12,000 per 10 minutes is Tencent's documented 20 DetachPolicy calls a second over the
 * whole window, so a 10,000-request cleanup is paced by the rate limiter and never cut short by the breaker.
 */
const DEFAULT_EXPLICIT_BUDGET = { maxActions: 12_000, window: 600_000 };

const lastPolicyStrategy = z.union([
  z.literal('dead-letter'),
  z.object({ replaceWith: z.union([z.string().min(1), z.number().int().positive()]) }).strict(),
]);

export const rulesFileSchema = z
  .object({
    version: z.literal(1),
    rules: z.array(rule).default([]),
    exemptions: z.array(exemption).default([]),
    /**
     * Circuit breaker budgets, per cloud account: `audit` for automatic enforcement, `explicit` for orders
     * (queue, HTTP, `run`, `apply`, redrive). The flat `{ maxActions, window }` form is the audit budget.
     */
    breaker: z
      .preprocess(flatIsAudit, budgets)
      .prefault({})
      .transform((b) => ({
        audit: b.audit ?? DEFAULT_AUDIT_BUDGET,
        explicit: b.explicit ?? DEFAULT_EXPLICIT_BUDGET,
      })),
    lastPolicy: z
      .object({
        alibaba: lastPolicyStrategy.optional(),
        tencent: lastPolicyStrategy.optional(),
        // IAM v5 has no "last policy" rule, so there is nothing to replace.
        huawei: z.literal('dead-letter').optional(),
      })
      .strict()
      .default({}),
    /**
     * Requests per second per account and operation, shared by every instance; Tencent DetachPolicy is 20
     * (its API page, docs/sources.md).
     */
    rateLimits: z
      .partialRecord(z.enum(OPERATION_NAMES as [string, ...string[]]), z.number().positive())
      .default({}),
  })
  .strict()
  .superRefine((file, ctx) => {
    const ids = new Set<string>();
    file.rules.forEach((r, i) => {
      if (ids.has(r.id))
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `duplicate rule id '${r.id}'` });
      ids.add(r.id);
    });
    file.exemptions.forEach((e, i) => {
      if (e.rule !== undefined && !ids.has(e.rule))
        ctx.addIssue({ code: 'custom', path: ['exemptions', i, 'rule'], message: `no rule '${e.rule}'` });
    });
    const alibaba = file.lastPolicy.alibaba;
    if (typeof alibaba === 'object' && !/^cp-[A-Za-z0-9]+$/.test(String(alibaba.replaceWith))) {
      ctx.addIssue({
        code: 'custom',
        path: ['lastPolicy', 'alibaba', 'replaceWith'],
        message: 'must be a control policy id (cp-…)',
      });
    }
    const tencent = file.lastPolicy.tencent;
    if (typeof tencent === 'object' && !/^\d+$/.test(String(tencent.replaceWith))) {
      ctx.addIssue({
        code: 'custom',
        path: ['lastPolicy', 'tencent', 'replaceWith'],
        message: 'must be a policy id (an integer)',
      });
    }
  });

export type RulesFile = z.output<typeof rulesFileSchema>;
export type Rule = RulesFile['rules'][number];
export type Exemption = RulesFile['exemptions'][number];
export type Matcher = NonNullable<Rule['when']>;

/**
 * No rules file: explicit orders only, default breaker, dead-letter on last policy. Written out rather than
 * parsed at import (a function start should not run the rules schema for a file it does not have); a test
 * holds it equal to `rulesFileSchema.parse({ version: 1 })`.
 */
export const EMPTY_RULES: RulesFile = {
  version: 1,
  rules: [],
  exemptions: [],
  breaker: { audit: DEFAULT_AUDIT_BUDGET, explicit: DEFAULT_EXPLICIT_BUDGET },
  lastPolicy: {},
  rateLimits: {},
};
