import { beforeEach, describe, expect, it } from 'vitest';
import { tencentClient } from '../../../../../local/sdk-clients';
import { parseFaultSpec } from '../../../../../sandbox/faults';
import { useSandbox } from '../../../../helpers/sandbox';
import { expectTencentError } from '../helpers';
import { NODE, POLICY, tencentWorld, UIN } from '../world';

const sandbox = useSandbox(tencentWorld);
const client = (creds = {}) => tencentClient(sandbox.current.url, creds);
const org = () => sandbox.current.world.tencent.organizations[0];
const bound = (policyId: number, targetId: number) =>
  org()?.bindings.some((b) => b.policyId === policyId && b.targetId === targetId) ?? false;

beforeEach(() => sandbox.current.reset());

describe('tencent DetachPolicy (its API page): success', () => {
  it('unbinds an SCP from a department that keeps another one, defaulting Type to SERVICE_CONTROL_POLICY', async () => {
    const answer = await client().DetachPolicy({
      TargetId: NODE.production,
      TargetType: 'NODE',
      PolicyId: POLICY.denyCam,
    });
    expect(Object.keys(answer)).toEqual(['RequestId']);
    const list = await client().ListPoliciesForTarget({ TargetId: NODE.production });
    expect(list.List?.map((p) => p.StrategyId)).toEqual([POLICY.fullAccess]);
    expect(bound(POLICY.denyCam, NODE.production)).toBe(false);
    expect(sandbox.current.calls.totals().applied).toBe(1);
  });

  it('unbinds an SCP from a member', async () => {
    await client().DetachPolicy({ TargetId: UIN.prod, TargetType: 'MEMBER', PolicyId: POLICY.allowAll });
    const list = await client().ListPoliciesForTarget({ TargetId: UIN.prod });
    expect(list.List).toEqual([expect.objectContaining({ StrategyId: POLICY.fullAccess, Type: 2 })]);
  });

  it('unbinds the only tag policy of a department: the last-policy rule is for SCPs only', async () => {
    await client().DetachPolicy({
      TargetId: NODE.production,
      TargetType: 'NODE',
      PolicyId: POLICY.costCenterTags,
      Type: 'TAG_POLICY',
    });
    const tags = await client().ListPoliciesForTarget({
      TargetId: NODE.production,
      PolicyType: 'TAG_POLICY',
    });
    expect(tags.TotalNum).toBe(0);
  });
});

describe('tencent DetachPolicy (its API page): every documented error code', () => {
  const detach = (
    request: { TargetId: number; TargetType: string; PolicyId: number; Type?: string },
    creds = {},
  ) => client(creds).DetachPolicy(request);

  it('FailedOperation.OrganizationDetachLastPolicyError: the target would be left without any SCP', async () => {
    await expectTencentError(
      sandbox.current,
      detach({ TargetId: NODE.lab, TargetType: 'NODE', PolicyId: POLICY.allowAll }),
      'FailedOperation.OrganizationDetachLastPolicyError',
      /at least one service control policy/,
    );
    await expectTencentError(
      sandbox.current,
      detach({ TargetId: UIN.lab, TargetType: 'MEMBER', PolicyId: POLICY.allowAll }),
      'FailedOperation.OrganizationDetachLastPolicyError',
      /last policy/,
    );
    expect(bound(POLICY.allowAll, NODE.lab) && bound(POLICY.allowAll, UIN.lab)).toBe(true);
  });

  it('FailedOperation.OrganizationDetachPolicyError: policy and target exist but are not bound', async () => {
    await expectTencentError(
      sandbox.current,
      detach({ TargetId: NODE.lab, TargetType: 'NODE', PolicyId: POLICY.denyCam }),
      'FailedOperation.OrganizationDetachPolicyError',
      /not bound to target 1002/,
    );
  });

  it('FailedOperation.OrganizationPolicyIsNotEnabled: the policy type is not enabled in the organization', async () => {
    await expectTencentError(
      sandbox.current,
      detach(
        { TargetId: 2000, TargetType: 'NODE', PolicyId: 900003, Type: 'TAG_POLICY' },
        { accessKeyId: 'owner-b', secret: 'owner-b-secret' },
      ),
      'FailedOperation.OrganizationPolicyIsNotEnabled',
      /TAG_POLICY is not enabled/,
    );
  });

  it('InternalError: a server-side failure (injected 5xx), nothing applied', async () => {
    sandbox.current.faults.set(parseFaultSpec('5xx=1,cloud=tencent,actions=DetachPolicy'));
    await expectTencentError(
      sandbox.current,
      detach({ TargetId: NODE.production, TargetType: 'NODE', PolicyId: POLICY.denyCam }),
      'InternalError',
      /internal error/,
    );
    expect(bound(POLICY.denyCam, NODE.production)).toBe(true);
  });

  it('InvalidParameter.OrganizationMemberNotManager: the caller is a member, not the management account', async () => {
    await expectTencentError(
      sandbox.current,
      detach(
        { TargetId: 2000, TargetType: 'NODE', PolicyId: POLICY.orgBOnly },
        {
          accessKeyId: 'member-b',
          secret: 'member-b-secret',
        },
      ),
      'InvalidParameter.OrganizationMemberNotManager',
      /not an enterprise administrator/,
    );
  });

  it('InvalidParameter.ParamError: bad TargetType, bad Type, or a Type that is not the policy type', async () => {
    const cases = [
      [{ TargetId: NODE.production, TargetType: 'OU', PolicyId: POLICY.denyCam }, /`TargetType` is invalid/],
      [
        { TargetId: NODE.production, TargetType: 'NODE', PolicyId: POLICY.denyCam, Type: 'IAM' },
        /`Type` is invalid/,
      ],
      [
        { TargetId: NODE.production, TargetType: 'NODE', PolicyId: POLICY.denyCam, Type: 'TAG_POLICY' },
        /is a SERVICE_CONTROL_POLICY, not a TAG_POLICY/,
      ],
    ] as const;
    for (const [request, message] of cases) {
      await expectTencentError(sandbox.current, detach(request), 'InvalidParameter.ParamError', message);
    }
  });

  it("InvalidParameter.PolicyIdNotExist: the ID is another organization's policy", async () => {
    await expectTencentError(
      sandbox.current,
      detach({ TargetId: NODE.production, TargetType: 'NODE', PolicyId: POLICY.orgBOnly }),
      'InvalidParameter.PolicyIdNotExist',
      /does not exist in this organization/,
    );
  });

  it('ResourceNotFound.PolicyNotExist: no organization holds a policy with that ID', async () => {
    await expectTencentError(
      sandbox.current,
      detach({ TargetId: NODE.production, TargetType: 'NODE', PolicyId: 424242 }),
      'ResourceNotFound.PolicyNotExist',
      /Policy 424242 does not exist/,
    );
  });

  it('UnauthorizedOperation: the key is denied DetachPolicy', async () => {
    await expectTencentError(
      sandbox.current,
      detach(
        { TargetId: NODE.production, TargetType: 'NODE', PolicyId: POLICY.denyCam },
        { accessKeyId: 'readonly', secret: 'readonly-secret' },
      ),
      'UnauthorizedOperation',
      /not authorized/,
    );
  });
});

describe('tencent DetachPolicy: conditions the API page is silent on', () => {
  it('an unknown department or member gives the product not-found code for its kind', async () => {
    await expectTencentError(
      sandbox.current,
      client().DetachPolicy({ TargetId: 9999, TargetType: 'NODE', PolicyId: POLICY.denyCam }),
      'ResourceNotFound.OrganizationNodeNotExist',
      /node 9999/,
    );
    await expectTencentError(
      sandbox.current,
      client().DetachPolicy({ TargetId: 100000000099, TargetType: 'MEMBER', PolicyId: POLICY.denyCam }),
      'ResourceNotFound.OrganizationMemberNotExist',
      /member 100000000099/,
    );
  });

  it('an account in no organization gets ResourceNotFound.OrganizationNotExist', async () => {
    await expectTencentError(
      sandbox.current,
      client({ accessKeyId: 'loner', secret: 'loner-secret' }).DetachPolicy({
        TargetId: NODE.production,
        TargetType: 'NODE',
        PolicyId: POLICY.denyCam,
      }),
      'ResourceNotFound.OrganizationNotExist',
      /organization does not exist/,
    );
  });
});
