import { z } from 'zod';
import { ALL_CLOUDS, CLOUDS, SANDBOX_CLOUDS } from './clouds';

const keyInput = z
  .object({
    cloud: z.enum(CLOUDS),
    accessKeyId: z.string().min(1),
    secret: z.string().min(1),
    /** Defaults to the cloud's `defaultAccount`. */
    account: z.string().optional(),
    token: z.string().optional(),
    deny: z.array(z.string()).default([]),
  })
  .strict();

/** Requests per second per caller account, keyed `cloud:Action`. */
const limits = z.record(
  z.string().regex(new RegExp(`^(${CLOUDS.join('|')}):[A-Za-z0-9*-]+$`)),
  z.number().positive(),
);

type CloudShape = { [C in (typeof SANDBOX_CLOUDS)[number] as C['name']]: C['state'] };
const cloudShape = Object.fromEntries(SANDBOX_CLOUDS.map((cloud) => [cloud.name, cloud.state])) as CloudShape;

/** The whole sandbox cloud: the seed file format, and what the admin API loads and returns. */
export const worldSchema = z
  .object({
    keys: z.array(keyInput).default([]),
    limits: limits.default({}),
    ...cloudShape,
  })
  .strict();

export type World = z.infer<typeof worldSchema>;
export type WorldInput = z.input<typeof worldSchema>;

/** Limits the vendors document (each API's `rateLimit`); seed `limits` add to or override them. */
export const DOCUMENTED_LIMITS: Readonly<Record<string, number>> = Object.fromEntries(
  ALL_CLOUDS.flatMap((cloud) =>
    cloud.dialects.flatMap((dialect) =>
      dialect.apis.flatMap((api) =>
        api.rateLimit === undefined ? [] : [[`${cloud.name}:${api.action}`, api.rateLimit] as const],
      ),
    ),
  ),
);

export function parseWorld(input: unknown): World {
  return worldSchema.parse(input);
}

export function emptyWorld(): World {
  return parseWorld(Object.fromEntries(ALL_CLOUDS.map((cloud) => [cloud.name, cloud.empty])));
}
