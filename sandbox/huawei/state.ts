import { z } from 'zod';

const timestamp = z.string().default('2025-01-01T00:00:00.000Z');
// Not documented as a number; 20 is a stand-in a seed can change per account.
const DEFAULT_ATTACH_QUOTA = 20;

const account = z
  .object({
    agencies: z
      .array(
        z
          .object({
            agencyId: z.string(),
            name: z.string(),
            type: z.enum(['agency', 'trust_agency']).default('agency'),
            /** `busy` reproduces the 409 Conflict of a concurrent modification. */
            status: z.enum(['ok', 'busy']).default('ok'),
          })
          .strict(),
      )
      .default([]),
    policies: z
      .array(
        z
          .object({
            policyId: z.string(),
            name: z.string(),
            type: z.enum(['custom', 'system']),
            urn: z.string(),
            description: z.string().default(''),
            /** ListPoliciesV5 `path_prefix` filters on it: segments ending in '/', e.g. "team/ops/". */
            path: z.string().default(''),
            defaultVersionId: z.string().default('v1'),
            document: z.string().default('{"Version":"5.0","Statement":[]}'),
            createdAt: timestamp,
          })
          .strict(),
      )
      .default([]),
    attachments: z
      .array(z.object({ policyId: z.string(), agencyId: z.string(), attachedAt: timestamp }).strict())
      .default([]),
    /** GetAccountSummaryV5's attached_policies_per_agency_quota; past it, attaching answers PAP5.0003. */
    quotas: z
      .object({ attachedPoliciesPerAgency: z.number().int().positive().default(DEFAULT_ATTACH_QUOTA) })
      .strict()
      .default({ attachedPoliciesPerAgency: DEFAULT_ATTACH_QUOTA }),
  })
  .strict();

export const huaweiState = z
  .object({
    /** The account (domain id) the default `sandbox` key belongs to. */
    defaultAccount: z.string(),
    accounts: z.record(z.string(), account),
  })
  .strict();

export type HuaweiState = z.infer<typeof huaweiState>;
export type HuaweiAccount = z.infer<typeof account>;
