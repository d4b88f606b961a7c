import { z } from 'zod';

export const TENCENT_POLICY_TYPES = ['SERVICE_CONTROL_POLICY', 'TAG_POLICY'] as const;
export const TENCENT_TARGET_TYPES = ['NODE', 'MEMBER'] as const;

const timestamp = z.string().default('2025-01-01 00:00:00');

const organization = z
  .object({
    orgId: z.number().int(),
    /** Uin of the management (owner) account; only it may manage policies. */
    ownerUin: z.string(),
    rootNodeId: z.number().int(),
    nodes: z.array(
      z
        .object({ nodeId: z.number().int(), name: z.string(), parentNodeId: z.number().int().nullable() })
        .strict(),
    ),
    members: z.array(z.object({ uin: z.string(), name: z.string(), nodeId: z.number().int() }).strict()),
    policies: z.array(
      z
        .object({
          policyId: z.number().int(),
          name: z.string(),
          type: z.enum(TENCENT_POLICY_TYPES),
          /**
           * 1 = system (preset), 2 = custom. The API numbers them the other way round (ListPolicies
           * `Type`: 1 custom, 2 preset); the list operations translate.
           */
          category: z.union([z.literal(1), z.literal(2)]).default(2),
          description: z.string().default(''),
          content: z.string().default('{"version":"2.0","statement":[]}'),
          addTime: timestamp,
        })
        .strict(),
    ),
    enabledPolicyTypes: z.array(z.enum(TENCENT_POLICY_TYPES)),
    bindings: z.array(
      z
        .object({
          policyId: z.number().int(),
          targetId: z.number().int(),
          targetType: z.enum(TENCENT_TARGET_TYPES),
          addTime: timestamp,
        })
        .strict(),
    ),
  })
  .strict();

export const tencentState = z
  .object({
    /** The account (uin) the default `sandbox` key belongs to. */
    defaultAccount: z.string(),
    organizations: z.array(organization),
  })
  .strict();

export type TencentState = z.infer<typeof tencentState>;
export type TencentOrganization = z.infer<typeof organization>;
