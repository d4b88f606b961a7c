import { z } from 'zod';

export const RESOURCE_GROUP_STATUSES = ['OK', 'Creating', 'Deleting', 'PendingDelete'] as const;
export const PRINCIPAL_TYPES = ['IMSUser', 'IMSGroup', 'ServiceRole'] as const;

const timestamp = z.string().default('2025-01-01T00:00:00Z');

const resourceGroup = z
  .object({
    id: z.string(),
    name: z.string(),
    displayName: z.string().optional(),
    status: z.enum(RESOURCE_GROUP_STATUSES).default('OK'),
    createDate: timestamp,
  })
  .strict();

const policyVersion = z
  .object({
    versionId: z.string(),
    isDefault: z.boolean(),
    document: z.string().default('{"Version":"1","Statement":[]}'),
    createDate: timestamp,
  })
  .strict();

const policy = z
  .object({
    name: z.string(),
    type: z.enum(['System', 'Custom']),
    description: z.string().default(''),
    versions: z.array(policyVersion).min(1),
    createDate: timestamp,
  })
  .strict();

const attachment = z
  .object({
    resourceGroupId: z.string(),
    policyType: z.enum(['System', 'Custom']),
    policyName: z.string(),
    principalType: z.enum(PRINCIPAL_TYPES),
    principalName: z.string(),
    attachDate: timestamp,
  })
  .strict();

const controlPolicy = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(['System', 'Custom']),
    description: z.string().default(''),
    /** Omitted: `All` for system policies (FullAliyunAccess), `RAM` for custom ones, as the cloud does. */
    effectScope: z.enum(['All', 'RAM']).optional(),
    document: z.string().default('{"Version":"1","Statement":[]}'),
    createDate: timestamp,
  })
  .strict();

const resourceDirectory = z
  .object({
    id: z.string(),
    rootFolderId: z.string(),
    controlPolicyEnabled: z.boolean().default(true),
    folders: z.array(
      z.object({ id: z.string(), name: z.string(), parentId: z.string().nullable() }).strict(),
    ),
    members: z.array(
      z.object({ accountId: z.string(), displayName: z.string(), folderId: z.string() }).strict(),
    ),
    controlPolicies: z.array(controlPolicy),
    controlPolicyAttachments: z.array(
      z.object({ policyId: z.string(), targetId: z.string(), attachDate: timestamp }).strict(),
    ),
  })
  .strict();

const account = z
  .object({
    resourceGroups: z.array(resourceGroup).default([]),
    policies: z.array(policy).default([]),
    attachments: z.array(attachment).default([]),
    /** Only the management account of a resource directory has one. */
    resourceDirectory: resourceDirectory.optional(),
  })
  .strict();

export const alibabaState = z
  .object({
    /** The account the default `sandbox` key belongs to. */
    defaultAccount: z.string(),
    accounts: z.record(z.string(), account),
  })
  .strict();

export type AlibabaState = z.infer<typeof alibabaState>;
export type AlibabaAccount = z.infer<typeof account>;
export type AlibabaPolicy = z.infer<typeof policy>;
export type AlibabaAttachment = z.infer<typeof attachment>;
export type ResourceDirectory = z.infer<typeof resourceDirectory>;
export type AlibabaResourceGroup = z.infer<typeof resourceGroup>;
export type AlibabaControlPolicy = z.infer<typeof controlPolicy>;
