import { describe, expect, it } from 'vitest';
import { idempotencyKey, requestIdentity } from '../../../shared/engine/idempotency';
import type { RemediationRequest } from '../../../shared/requests';

// Keys live in the shared store for a week: a new version must compute the same key for the same event and
// request, or a redelivery straddling a deploy would act twice. These values are those of earlier releases.
describe('idempotency keys stay the same across versions', () => {
  const tencent = {
    provider: 'tencent',
    operation: 'detach-policy',
    policyId: 100002,
    targetId: 1001,
    targetType: 'NODE',
    type: 'SERVICE_CONTROL_POLICY',
    account: '1',
    source: 's',
    eventId: 'e',
    dryRun: false,
  } as RemediationRequest;
  const alibaba = {
    eventId: 'x',
    principalName: 'u@corp.onaliyun.com',
    provider: 'alibaba',
    operation: 'detach-policy',
    resourceGroupId: 'rg-1',
    policyType: 'System',
    policyName: 'AdministratorAccess',
    principalType: 'IMSUser',
  } as RemediationRequest;

  it('identifies a request by its sorted target fields, without the envelope', () => {
    expect(requestIdentity(tencent)).toBe(
      '{"operation":"detach-policy","policyId":100002,"provider":"tencent","targetId":1001,"targetType":"NODE","type":"SERVICE_CONTROL_POLICY"}',
    );
    expect(requestIdentity({ ...alibaba, cascade: undefined } as RemediationRequest)).toBe(
      '{"operation":"detach-policy","policyName":"AdministratorAccess","policyType":"System","principalName":"u@corp.onaliyun.com","principalType":"IMSUser","provider":"alibaba","resourceGroupId":"rg-1"}',
    );
  });

  it('hashes the event id and the identity as before', () => {
    expect(idempotencyKey('evt-1', tencent)).toBe(
      '453dbf1259aa66193387716088856bb849e2701b52c5de03a144f560e9959690',
    );
    expect(idempotencyKey('queue:m-1', alibaba)).toBe(
      '0e17e6e477353a7e0946ad933e8ae8927cb2036abbffff09eedcdaa6b45813c5',
    );
  });
});
