import { beforeEach, describe, expect, it } from 'vitest';
import { parseFaultSpec } from '../../../sandbox/faults';
import { loadSeed } from '../../../sandbox/seeds';
import { executeRequest } from '../../../shared/engine/execute';
import { parseRequest, type RemediationRequest } from '../../../shared/requests';
import { sandboxOptions } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';

// Regressions found by the soak: a call that landed but whose answer was lost must never end dead-lettered.
const sandbox = useSandbox(() => loadSeed('demo'));

function request(input: Record<string, unknown>): RemediationRequest {
  const parsed = parseRequest(input);
  if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.rule}`);
  return parsed.request;
}

const mallory = request({
  provider: 'alibaba',
  operation: 'detach-policy',
  resourceGroupId: 'rg-aek2prod7xk3q',
  policyType: 'System',
  policyName: 'AdministratorAccess',
  principalType: 'IMSUser',
  principalName: 'mallory@corp.onaliyun.com',
});

beforeEach(() => {
  sandbox.current.removeAllListeners('call');
  sandbox.current.reset();
});

describe('lost answers', () => {
  it('a detach that landed with its answer lost, then only server errors: already-compliant, not dead-lettered', async () => {
    sandbox.current.faults.set(parseFaultSpec('drop-after=1,actions=DetachPolicy'));
    // From the second DetachPolicy on, the cloud only fails: the retries can never learn the detach landed.
    sandbox.current.once('call', () =>
      sandbox.current.faults.set(parseFaultSpec('5xx=1,actions=DetachPolicy')),
    );
    const outcome = await executeRequest(mallory, sandboxOptions(sandbox.current.url));
    expect(outcome).toMatchObject({ status: 'already-compliant' });
    expect(sandbox.current.calls.totals().byAction['alibaba:DetachPolicy']).toMatchObject({ applied: 1 });
  });

  it('an ambiguous error whose truth read fails is retried, not dead-lettered unknown-error', async () => {
    // Policy 100001 is not bound to node 1002: the detach answers the ambiguous OrganizationDetachPolicyError.
    const unbound = request({
      provider: 'tencent',
      operation: 'detach-policy',
      policyId: 100001,
      targetId: 1002,
      targetType: 'NODE',
    });
    sandbox.current.faults.set(parseFaultSpec('5xx=1,actions=ListPoliciesForTarget'));
    // Unlimited attempts: it is the deadline that ends the retries, as on a platform under a long outage.
    // Waits long enough that the retries stay well under Tencent's 20 DetachPolicy calls per second.
    const retryPolicies = { transient: { maxAttempts: 1_000, baseMs: 150, capMs: 300 } };
    const onPlatform = await executeRequest(
      unbound,
      sandboxOptions(sandbox.current.url, { onPlatform: true, deadline: Date.now() + 1_000, retryPolicies }),
    );
    expect(onPlatform.status).toBe('retry-later');

    sandbox.current.faults.set(parseFaultSpec(''));
    const redelivered = await executeRequest(
      unbound,
      sandboxOptions(sandbox.current.url, { onPlatform: true }),
    );
    expect(redelivered).toMatchObject({ status: 'already-compliant' });
  });
});
