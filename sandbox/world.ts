import { z } from 'zod';
import { alibabaState } from './alibaba/state';
import { huaweiState } from './huawei/state';
import { tencentState } from './tencent/state';
import { CLOUDS } from './types';

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
const limits = z.record(z.string().regex(/^(alibaba|tencent|huawei):[A-Za-z0-9*-]+$/), z.number().positive());

/** The whole sandbox cloud: the seed file format, and what the admin API loads and returns. */
export const worldSchema = z
  .object({
    keys: z.array(keyInput).default([]),
    limits: limits.default({}),
    alibaba: alibabaState,
    tencent: tencentState,
    huawei: huaweiState,
  })
  .strict();

export type World = z.infer<typeof worldSchema>;
export type WorldInput = z.input<typeof worldSchema>;

/** Limits the vendors document; seed `limits` add to or override them. */
export const DOCUMENTED_LIMITS: Readonly<Record<string, number>> = {
  // Seed 003: "A maximum of 20 requests can be initiated per second for this API."
  'tencent:DetachPolicy': 20,
};

export function parseWorld(input: unknown): World {
  return worldSchema.parse(input);
}

export function emptyWorld(): World {
  return parseWorld({
    alibaba: { defaultAccount: '1000000000000001', accounts: { '1000000000000001': {} } },
    tencent: { defaultAccount: '100000000001', organizations: [] },
    huawei: {
      defaultAccount: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
      accounts: { '0a1b2c3d4e5f60718293a4b5c6d7e8f9': {} },
    },
  });
}
