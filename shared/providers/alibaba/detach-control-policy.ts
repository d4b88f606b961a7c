import {
  AttachControlPolicyRequest,
  DetachControlPolicyRequest,
  ListControlPolicyAttachmentsForTargetRequest,
} from '@alicloud/resourcemanager20200331';
import type { AlibabaDetachControlPolicy } from '../../requests';
import { withMissing } from '../classify';
import { ABSENT, type Presence, type ProviderOperation, presence } from '../types';
import { resourceManager } from './client';
import { alibabaError, callAlibaba } from './errors';

/** What a "gone" code says does not exist; EntityNotExists.ControlPolicyAttachment only says "not attached". */
const MISSING: Readonly<Record<string, (request: AlibabaDetachControlPolicy) => string>> = {
  'EntityNotExists.Target': (request) => `target ${request.targetId}`,
  'EntityNotExists.ControlPolicy': (request) => `control policy ${request.policyId}`,
};

/**
 * Detach a control policy from the Root folder, a folder or a member: Resource Directory DetachControlPolicy
 * API page (docs/sources.md, Vendor API pages).
 */
export const detachControlPolicy: ProviderOperation<AlibabaDetachControlPolicy> = {
  effect: 'detach',
  permissions: [
    'resourcemanager:DetachControlPolicy',
    'resourcemanager:ListControlPolicyAttachmentsForTarget',
    // Only for the `replace-with` last-policy strategy.
    'resourcemanager:AttachControlPolicy',
  ],

  execute: async (request, context) =>
    withMissing(
      await callAlibaba(() =>
        resourceManager(context).detachControlPolicy(
          new DetachControlPolicyRequest({ policyId: request.policyId, targetId: request.targetId }),
        ),
      ),
      (code) => MISSING[code]?.(request),
    ),

  async stillPresent(request, context): Promise<Presence> {
    try {
      const response = await resourceManager(context).listControlPolicyAttachmentsForTarget(
        new ListControlPolicyAttachmentsForTargetRequest({ targetId: request.targetId }),
      );
      const attached = response.body?.controlPolicyAttachments?.controlPolicyAttachment ?? [];
      return presence(attached.some((a) => a.policyId === request.policyId));
    } catch (error) {
      const failure = alibabaError(error);
      if (failure.errorClass === 'already-gone') return ABSENT;
      return { state: 'unknown', error: failure };
    }
  },

  fallback: {
    attach: (request, fallbackPolicyId, context) =>
      callAlibaba(() =>
        resourceManager(context).attachControlPolicy(
          new AttachControlPolicyRequest({ policyId: fallbackPolicyId, targetId: request.targetId }),
        ),
      ),
    detach: (request, fallbackPolicyId, context) =>
      detachControlPolicy.execute({ ...request, policyId: fallbackPolicyId }, context),
  },
};
