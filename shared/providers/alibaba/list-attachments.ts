import {
  ListControlPoliciesRequest,
  ListControlPolicyAttachmentsForTargetRequest,
  ListPolicyAttachmentsRequest,
  ListTargetAttachmentsForControlPolicyRequest,
} from '@alicloud/resourcemanager20200331';
import {
  type AttachmentLister,
  DEFAULT_LISTING_LIMITS,
  type ListedAttachment,
  type ListingLimits,
  type ListingResult,
  paced,
  readPages,
} from '../listing';
import type { ProviderContext } from '../types';
import { resourceManager } from './client';
import { alibabaError } from './errors';

/** Every paged Resource Manager list allows 1 to 100 a page. */
const PAGE_SIZE = 100;

/** What `remediate scan` calls on Alibaba Cloud: a read-only scan role needs exactly these. */
export const SCAN_PERMISSIONS = [
  'ram:ListPolicyAttachments', // a RAM action like the other resource-group policy calls (docs/sources.md)
  'resourcemanager:ListControlPolicies',
  'resourcemanager:ListTargetAttachmentsForControlPolicy',
] as const;

const nextPage = (page: number, total: number | undefined, got: number) =>
  (total === undefined ? got === PAGE_SIZE : page * PAGE_SIZE < total) ? page + 1 : undefined;

/**
 * The RAM policy attachments of the account and of every resource group (ListPolicyAttachments without
 * ResourceGroupId lists all of them), then the control-policy attachments of the resource directory:
 * ListControlPolicies, and ListTargetAttachmentsForControlPolicy for each policy. An account that manages
 * no resource directory simply has no control policies.
 */
export const listAttachments: AttachmentLister = {
  permissions: SCAN_PERMISSIONS,

  async list(context, limits = DEFAULT_LISTING_LIMITS): Promise<ListingResult> {
    const attachments: ListedAttachment[] = [];
    const notes: string[] = [];
    try {
      attachments.push(...(await policyAttachments(context, {}, limits, notes)));
    } catch (error) {
      return { attachments, notes, error: alibabaError(error) };
    }
    try {
      attachments.push(...(await controlPolicyAttachments(context, limits, notes)));
    } catch (error) {
      const failure = alibabaError(error);
      if (failure.code !== 'EntityNotExists.ResourceDirectory') return { attachments, notes, error: failure };
      notes.push('alibaba: the account manages no resource directory, so it has no control policies to scan');
    }
    return { attachments, notes };
  },
};

/** ListPolicyAttachments' filters: a resource group (or account), principal and policy. */
export interface PolicyAttachmentFilter {
  resourceGroupId?: string | undefined;
  principalType?: string | undefined;
  principalName?: string | undefined;
  policyType?: string | undefined;
  policyName?: string | undefined;
}

/** The RAM policy attachments the filter selects (every one when it is empty), as detach-policy requests. */
export async function policyAttachments(
  context: ProviderContext,
  filter: PolicyAttachmentFilter,
  limits: ListingLimits,
  notes: string[],
): Promise<ListedAttachment[]> {
  const client = resourceManager(context);
  const listed = await readPages(
    1,
    async (page) => {
      const response = await paced(limits, 'alibaba', 'ListPolicyAttachments', () =>
        client.listPolicyAttachments(
          new ListPolicyAttachmentsRequest({ ...filter, pageNumber: page, pageSize: PAGE_SIZE }),
        ),
      );
      const items = response.body?.policyAttachments?.policyAttachment ?? [];
      return { items, next: nextPage(page, response.body?.totalCount, items.length) };
    },
    limits.maxPages,
    'alibaba ListPolicyAttachments',
    notes,
  );
  return listed.map(
    (a): ListedAttachment => ({
      request: {
        provider: 'alibaba',
        operation: 'detach-policy',
        resourceGroupId: a.resourceGroupId,
        policyType: a.policyType,
        policyName: a.policyName,
        principalType: a.principalType,
        principalName: a.principalName,
      },
    }),
  );
}

async function controlPolicyAttachments(context: ProviderContext, limits: ListingLimits, notes: string[]) {
  const client = resourceManager(context);
  const { maxPages } = limits;
  const policies = await readPages(
    1,
    async (page) => {
      const response = await paced(limits, 'alibaba', 'ListControlPolicies', () =>
        client.listControlPolicies(new ListControlPoliciesRequest({ pageNumber: page, pageSize: PAGE_SIZE })),
      );
      const items = response.body?.controlPolicies?.controlPolicy ?? [];
      return { items, next: nextPage(page, response.body?.totalCount, items.length) };
    },
    maxPages,
    'alibaba ListControlPolicies',
    notes,
  );
  const found: ListedAttachment[] = [];
  for (const policy of policies) {
    // A policy attached nowhere needs no call (AttachmentCount is a string in the API's answer).
    if (policy.policyId === undefined || policy.attachmentCount === '0') continue;
    const targets = await readPages(
      1,
      async (page) => {
        const response = await paced(limits, 'alibaba', 'ListTargetAttachmentsForControlPolicy', () =>
          client.listTargetAttachmentsForControlPolicy(
            new ListTargetAttachmentsForControlPolicyRequest({
              policyId: policy.policyId,
              pageNumber: page,
              pageSize: PAGE_SIZE,
            }),
          ),
        );
        const items = response.body?.targetAttachments?.targetAttachment ?? [];
        return { items, next: nextPage(page, response.body?.totalCount, items.length) };
      },
      maxPages,
      `alibaba ListTargetAttachmentsForControlPolicy ${policy.policyId}`,
      notes,
    );
    for (const target of targets) {
      found.push({
        request: {
          provider: 'alibaba',
          operation: 'detach-control-policy',
          policyId: policy.policyId,
          targetId: target.targetId,
        },
        names: { policy: policy.policyName, target: target.targetName },
      });
    }
  }
  return found;
}

/** The control policies attached to one Resource Directory target (the named one only, when named). */
export async function targetControlPolicies(
  context: ProviderContext,
  targetId: string,
  policyId: string | undefined,
  limits: ListingLimits,
): Promise<ListedAttachment[]> {
  const response = await paced(limits, 'alibaba', 'ListControlPolicyAttachmentsForTarget', () =>
    resourceManager(context).listControlPolicyAttachmentsForTarget(
      new ListControlPolicyAttachmentsForTargetRequest({ targetId }),
    ),
  );
  const attached = response.body?.controlPolicyAttachments?.controlPolicyAttachment ?? [];
  return attached
    .filter((a) => policyId === undefined || a.policyId === policyId)
    .map((a) => ({
      request: { provider: 'alibaba', operation: 'detach-control-policy', policyId: a.policyId, targetId },
      names: { policy: a.policyName },
    }));
}
