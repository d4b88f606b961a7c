import { z } from 'zod';
import type { Api } from '../types';
import { gatewayErrors } from './errors';
import type { TencentState } from './state';

/** A Tencent Cloud API 3.0 API (Organization, STS): declared once, see `Api`. */
export function tencentApi<Z extends z.ZodType>(api: Api<TencentState, Z>): Api<TencentState, Z> {
  return api;
}

/**
 * The gateway's view of an action's parameters: unknown names, missing required ones and wrong JSON
 * types are refused before the service sees the call. POST carries JSON (TC3 signs it as such);
 * GET and v1 carry the same fields flattened, every value a string.
 */
export interface FieldSpec {
  type: 'integer' | 'string';
  required?: boolean;
}
export type ParamSpec = Readonly<Record<string, FieldSpec>>;

type ValueOf<F extends FieldSpec> = F['type'] extends 'integer' ? number : string;
export type Params<S extends ParamSpec> = {
  [K in keyof S as S[K]['required'] extends true ? K : never]: ValueOf<S[K]>;
} & {
  [K in keyof S as S[K]['required'] extends true ? never : K]?: ValueOf<S[K]>;
};

/**
 * The schema of an action's parameters, read from `paramsInput` (params.ts): unknown names first, then
 * each field in the order the spec lists it.
 */
export function tencentParams<S extends ParamSpec>(spec: S): z.ZodType<Params<S>> {
  const json = shapeOf(spec, false);
  const flattened = shapeOf(spec, true);
  return z
    .object({ raw: z.record(z.string(), z.unknown()), flattened: z.boolean() })
    .transform(({ raw, flattened: isFlat }) => {
      for (const name of Object.keys(raw)) {
        if (!Object.hasOwn(spec, name)) throw gatewayErrors.unknownParameter(name);
      }
      return (isFlat ? flattened : json).parse(raw) as Params<S>;
    });
}

function shapeOf(spec: ParamSpec, flattened: boolean) {
  return z.object(
    Object.fromEntries(
      Object.entries(spec).map(([name, field]) => {
        const value = z.unknown().transform((v) => {
          if (v === undefined) throw gatewayErrors.missingParameter(name);
          return field.type === 'integer' ? integerOf(name, v, flattened) : stringOf(name, v);
        });
        return [name, field.required ? value : value.optional()];
      }),
    ),
  );
}

/** Integers in this API are unsigned 64-bit; the sandbox keeps them within the exact JSON range. */
function integerOf(name: string, value: unknown, fromQuery: boolean): number {
  const n = fromQuery && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw gatewayErrors.wrongType(name, 'Integer');
  return n;
}

function stringOf(name: string, value: unknown): string {
  if (typeof value !== 'string') throw gatewayErrors.wrongType(name, 'String');
  return value;
}
