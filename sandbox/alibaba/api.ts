import { z } from 'zod';
import type { Api } from '../types';
import { gateway } from './errors';
import type { AlibabaState } from './state';

/** An Alibaba RPC API (Resource Manager, Resource Directory, STS): declared once, see `Api`. */
export function alibabaApi<Z extends z.ZodType>(api: Api<AlibabaState, Z>): Api<AlibabaState, Z> {
  return api;
}

/**
 * One RPC parameter, read from the decoded name → value map. The builder gets the parameter's name, so
 * a refusal names it as the gateway does.
 */
type Field = (name: string) => z.ZodType;
type Shape<F extends Record<string, Field>> = { [K in keyof F]: ReturnType<F[K]> };

/**
 * The parameters an API reads, checked in the order listed (the first bad one is the answer). An absent
 * parameter reaches its field as '' (which the gateway treats as absent too), so every field runs.
 */
export function rpcParams<F extends Record<string, Field>>(fields: F) {
  const shape = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field(name)]));
  const absent = Object.fromEntries(Object.keys(fields).map((name) => [name, '']));
  return z.preprocess(
    (raw) => ({ ...absent, ...(raw as Record<string, string>) }),
    z.object(shape as Shape<F>),
  );
}

/** An empty value counts as absent, as the gateway treats `Name=`. */
const present = (value: unknown): string | undefined =>
  value === undefined || value === '' ? undefined : String(value);

export const optional = (_name: string) => z.unknown().transform(present).optional();

export const required = (name: string) =>
  z.unknown().transform((value) => {
    const text = present(value);
    if (text === undefined) throw gateway.missingParameter(name);
    return text;
  });

export const oneOf =
  <T extends string>(allowed: readonly T[], invalid: () => Error) =>
  (name: string) =>
    required(name).transform((value) => {
      if (!(allowed as readonly string[]).includes(value)) throw invalid();
      return value as T;
    });

export const optionalOneOf =
  <T extends string>(allowed: readonly T[], invalid: () => Error) =>
  (_name: string) =>
    z
      .unknown()
      .transform((value) => {
        const text = present(value);
        if (text !== undefined && !(allowed as readonly string[]).includes(text)) throw invalid();
        return text as T | undefined;
      })
      .optional();

export interface IntRule {
  min: number;
  max?: number;
  fallback: number;
}

export const int = (rule: IntRule) => (name: string) =>
  z.unknown().transform((value) => {
    const text = present(value);
    if (text === undefined) return rule.fallback;
    const n = Number(text);
    if (
      !/^-?\d+$/.test(text) ||
      !Number.isSafeInteger(n) ||
      n < rule.min ||
      (rule.max !== undefined && n > rule.max)
    )
      throw gateway.invalidParameter(
        name,
        `It must be an integer from ${rule.min}${rule.max === undefined ? '' : ` to ${rule.max}`}.`,
      );
    return n;
  });

/** PageNumber from 1, PageSize 1–100 with a default of 10: the rule every paged Resource Manager list states. */
export const PAGE_FIELDS = {
  PageNumber: int({ min: 1, fallback: 1 }),
  PageSize: int({ min: 1, max: 100, fallback: 10 }),
};
