import type { CallResult, OperationFallback, ProviderContext, ProviderOperation } from '../providers/types';
import type { RemediationRequest } from '../requests';
import type { Paced } from './rate-limiter';

/** What to do when a detach would leave the target with no policy (rules file `lastPolicy`, per cloud). */
export type LastPolicyStrategy = 'dead-letter' | { replaceWith: string };

/**
 * `replace-with`: attach the fallback policy, then detach the policy; if the detach fails, take the fallback
 * off again. The detach and the rollback go through the rate limiter (`paced`).
 */
export async function replaceThenDetach(
  operation: ProviderOperation<RemediationRequest>,
  fallback: OperationFallback<RemediationRequest>,
  request: RemediationRequest,
  fallbackPolicyId: string,
  context: ProviderContext,
  paced: Paced,
  noSlot: CallResult,
): Promise<CallResult> {
  const attached = await fallback.attach(request, fallbackPolicyId, context);
  // "Not found" from the attach is about the fallback policy, not the attachment being removed: the
  // target still holds its last policy, so this must not read as already-compliant.
  if (!attached.ok && attached.error.errorClass === 'already-gone')
    return { ok: false, error: { ...attached.error, errorClass: 'last-policy' } };
  if (!attached.ok) return attached;
  // The detach and the rollback are calls of the rate-limited operation too: each waits for its slot.
  const detached = (await paced(() => operation.execute(request, context))) ?? noSlot;
  if (detached.ok || detached.error.errorClass === 'already-gone') return detached;
  // The rollback is made even when no turn comes before the deadline: the fallback must not stay attached.
  const rollBack = () => fallback.detach(request, fallbackPolicyId, context);
  if ((await paced(rollBack)) === undefined) await rollBack();
  return detached;
}
