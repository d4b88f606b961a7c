import { z } from 'zod';
import type { Api } from '../types';
import { iamErrors } from './errors';
import type { HuaweiState } from './state';

/** A Huawei Cloud IAM v5 API: declared once, see `Api`; `path` is how the dialect finds it. */
export function huaweiApi<Z extends z.ZodType>(api: Api<HuaweiState, Z>): Api<HuaweiState, Z> {
  return api;
}

// Every v5 id in the SDK docs (and the DetachAgencyPolicyV5 page): "1 to 64 characters, only letters,
// digits and hyphens".
const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
// IamClient.js: "marker … 4 to 400 characters, letters, digits, '+', '/', '=', '-' and '_'".
const MARKER_PATTERN = /^[A-Za-z0-9+/=_-]{4,400}$/;
// IamClient.js: "limit … 1 to 200, default 100".
export const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 200;

/** A path or query id: anything but 1–64 letters, digits and hyphens is IAM.0007 naming the parameter. */
export const id = (key: string) =>
  z.unknown().transform((value) => {
    if (typeof value !== 'string' || !ID_PATTERN.test(value)) throw iamErrors.invalidParameter(key);
    return value;
  });

/**
 * The JSON object body with its required id fields: not a JSON object is the classic "Request body is
 * invalid."; a field absent is IAM.0072, present but malformed IAM.0007.
 */
export const bodyWithIds = <K extends string>(...keys: K[]) =>
  z.instanceof(Buffer).transform((raw) => {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw iamErrors.invalidBody();
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw iamErrors.invalidBody();
    const fields = body as Record<string, unknown>;
    const ids = {} as Record<K, string>;
    for (const key of keys) {
      const value = fields[key];
      if (value === undefined || value === null) throw iamErrors.requiredProperty(key);
      ids[key] = id(key).parse(value);
    }
    return ids;
  });

/** An optional enumerated query parameter; an unknown value is IAM.0007 like any invalid parameter. */
export const optionalEnum = <T extends string>(key: string, values: readonly T[]) =>
  z
    .string()
    .transform((value) => {
      if (!(values as readonly string[]).includes(value)) throw iamErrors.invalidParameter(key);
      return value as T;
    })
    .optional();

// IamClient.js (listPoliciesV5, listAgenciesV5): path_prefix is segments of letters, digits and . , + @ = _ -,
// each ending in '/'.
const PATH_PREFIX = /^([A-Za-z0-9.,+@=_-]+\/)+$/;

/** The optional `path_prefix` query parameter of the v5 list APIs; a malformed one is IAM.0007. */
export const PATH_PREFIX_FIELD = z
  .string()
  .transform((prefix) => {
    if (!PATH_PREFIX.test(prefix)) throw iamErrors.invalidParameter('path_prefix');
    return prefix;
  })
  .optional();

/** `limit` (1–200, default 100) and `marker` (the documented alphabet), in that order. */
export const PAGE_FIELDS = {
  limit: z
    .string()
    .optional()
    .transform((raw) => {
      if (raw === undefined) return DEFAULT_LIMIT;
      const limit = Number(raw);
      if (!/^\d+$/.test(raw) || limit < 1 || limit > MAX_LIMIT) throw iamErrors.invalidParameter('limit');
      return limit;
    }),
  marker: z
    .string()
    .transform((marker) => {
      if (!MARKER_PATTERN.test(marker)) throw iamErrors.invalidMarker();
      return marker;
    })
    .optional(),
};

export interface PageQuery {
  limit: number;
  marker?: string | undefined;
}
