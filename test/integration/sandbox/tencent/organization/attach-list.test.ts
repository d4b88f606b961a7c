import { beforeEach, describe, expect, it } from 'vitest';
import { tencentClient } from '../../../../../local/sdk-clients';
import { useSandbox } from '../../../../helpers/sandbox';
import { expectTencentError } from '../helpers';
import { NODE, PAGED_POLICIES, POLICY, tencentWorld, UIN } from '../world';

const sandbox = useSandbox(tencentWorld);
const client = (creds = {}) => tencentClient(sandbox.current.url, creds);

beforeEach(() => sandbox.current.reset());

describe('tencent AttachPolicy', () => {
  it('binds a policy, visible from both list directions, with a Beijing-time bind date', async () => {
    await client().AttachPolicy({ TargetId: NODE.lab, TargetType: 'NODE', PolicyId: POLICY.denyCam });
    const forTarget = await client().ListPoliciesForTarget({ TargetId: NODE.lab });
    expect(forTarget.List?.map((p) => p.StrategyId)).toEqual([POLICY.allowAll, POLICY.denyCam]);
    expect(forTarget.List?.[1]).toMatchObject({
      Name: 'Lab',
      Type: 1,
      AttachTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    const targets = await client().ListTargetsForPolicy({ PolicyId: POLICY.denyCam });
    expect(targets.List?.map((t) => [t.Uin, t.RelatedType, t.Name])).toEqual([
      [NODE.production, 1, 'Production'],
      [NODE.lab, 1, 'Lab'],
    ]);
  });

  it('binding an already bound policy changes nothing', async () => {
    await client().AttachPolicy({ TargetId: NODE.production, TargetType: 'NODE', PolicyId: POLICY.denyCam });
    const list = await client().ListTargetsForPolicy({ PolicyId: POLICY.denyCam });
    expect(list.TotalNum).toBe(1);
  });

  it('binds a tag policy to a member', async () => {
    await client().AttachPolicy({
      TargetId: UIN.lab,
      TargetType: 'MEMBER',
      PolicyId: POLICY.costCenterTags,
      Type: 'TAG_POLICY',
    });
    const targets = await client().ListTargetsForPolicy({
      PolicyId: POLICY.costCenterTags,
      PolicyType: 'TAG_POLICY',
    });
    expect(targets.List?.map((t) => [t.Uin, t.RelatedType])).toEqual([
      [NODE.production, 1],
      [UIN.lab, 2],
    ]);
  });

  it('refuses unknown targets, disabled types and missing policies with its documented codes', async () => {
    const attach = (
      request: { TargetId: number; TargetType: string; PolicyId: number; Type?: string },
      creds = {},
    ) => client(creds).AttachPolicy(request);
    await expectTencentError(
      sandbox.current,
      attach({ TargetId: 4321, TargetType: 'NODE', PolicyId: POLICY.denyCam }),
      'ResourceNotFound.OrganizationNodeNotExist',
      /node 4321/,
    );
    await expectTencentError(
      sandbox.current,
      attach({ TargetId: UIN.loner, TargetType: 'MEMBER', PolicyId: POLICY.denyCam }),
      'ResourceNotFound.OrganizationMemberNotExist',
      /member 300000000001/,
    );
    await expectTencentError(
      sandbox.current,
      attach(
        { TargetId: 2000, TargetType: 'NODE', PolicyId: 900003, Type: 'TAG_POLICY' },
        {
          accessKeyId: 'owner-b',
          secret: 'owner-b-secret',
        },
      ),
      'FailedOperation.OrganizationPolicyIsNotEnabled',
      /not enabled/,
    );
    await expectTencentError(
      sandbox.current,
      attach({ TargetId: NODE.lab, TargetType: 'NODE', PolicyId: POLICY.orgBOnly }),
      'InvalidParameter.PolicyIdNotExist',
      /900001/,
    );
    expect(sandbox.current.calls.totals().applied).toBe(0);
  });
});

describe('tencent ListPoliciesForTarget', () => {
  it('pages with Rp and Page across several pages, TotalNum counting all', async () => {
    const ids: number[] = [];
    for (const Page of [1, 2, 3]) {
      const page = await client().ListPoliciesForTarget({ TargetId: NODE.paging, Rp: 20, Page });
      expect(page.TotalNum).toBe(PAGED_POLICIES);
      expect(page.List).toHaveLength(Page < 3 ? 20 : 5);
      ids.push(...(page.List ?? []).map((p) => p.StrategyId ?? 0));
    }
    expect(ids).toEqual(Array.from({ length: PAGED_POLICIES }, (_, i) => POLICY.pagedFirst + i));
    const beyond = await client().ListPoliciesForTarget({ TargetId: NODE.paging, Rp: 20, Page: 4 });
    expect(beyond).toMatchObject({ TotalNum: PAGED_POLICIES, List: [] });
  });

  it('defaults to 20 per page, filters by policy type and name keyword', async () => {
    const first = await client().ListPoliciesForTarget({ TargetId: NODE.paging });
    expect(first.List).toHaveLength(20);
    const tags = await client().ListPoliciesForTarget({
      TargetId: NODE.production,
      PolicyType: 'TAG_POLICY',
    });
    expect(tags.List?.map((p) => p.StrategyName)).toEqual(['CostCenterTags']);
    const keyword = await client().ListPoliciesForTarget({ TargetId: NODE.paging, Keyword: 'Paged-50004' });
    expect(keyword.List?.map((p) => p.StrategyId)).toEqual([500040, 500041, 500042, 500043, 500044]);
  });

  it('refuses a page size or page number outside 1..200', async () => {
    for (const request of [{ Rp: 0 }, { Rp: 201 }, { Page: 0 }, { Page: 201 }]) {
      await expectTencentError(
        sandbox.current,
        client().ListPoliciesForTarget({ TargetId: NODE.paging, ...request }),
        'InvalidParameterValue',
        /200/,
      );
    }
  });

  it('refuses a member account and an account in no organization', async () => {
    await expectTencentError(
      sandbox.current,
      client({ accessKeyId: 'member-b', secret: 'member-b-secret' }).ListPoliciesForTarget({
        TargetId: 2000,
      }),
      'InvalidParameter.OrganizationMemberNotManager',
      /administrator/,
    );
    await expectTencentError(
      sandbox.current,
      client({ accessKeyId: 'loner', secret: 'loner-secret' }).ListPoliciesForTarget({ TargetId: 2000 }),
      'ResourceNotFound.OrganizationNotExist',
      /does not exist/,
    );
  });
});

describe('tencent ListTargetsForPolicy and ListPolicies', () => {
  it('pages the targets of a policy and filters them by kind', async () => {
    const first = await client().ListTargetsForPolicy({ PolicyId: POLICY.fullAccess, Rp: 2, Page: 1 });
    const second = await client().ListTargetsForPolicy({ PolicyId: POLICY.fullAccess, Rp: 2, Page: 2 });
    expect(first.TotalNum).toBe(3);
    expect([...(first.List ?? []), ...(second.List ?? [])].map((t) => t.Uin)).toEqual([
      NODE.root,
      NODE.production,
      UIN.prod,
    ]);
    const users = await client().ListTargetsForPolicy({ PolicyId: POLICY.fullAccess, TargetType: 'User' });
    expect(users.List).toEqual([
      expect.objectContaining({ Uin: UIN.prod, RelatedType: 2, Name: 'prod-shop' }),
    ]);
    await expectTencentError(
      sandbox.current,
      client().ListTargetsForPolicy({ PolicyId: POLICY.fullAccess, TargetType: 'Folder' }),
      'InvalidParameterValue',
      /`TargetType`/,
    );
    await expectTencentError(
      sandbox.current,
      client().ListTargetsForPolicy({ PolicyId: POLICY.fullAccess, PolicyType: 'TAG_POLICY' }),
      'ResourceNotFound.PolicyNotExist',
      /Policy 1 does not exist/,
    );
  });

  it('lists the organization policies with the API numbering of preset (2) and custom (1)', async () => {
    const all = await client().ListPolicies({ Rp: 3 });
    expect(all.TotalNum).toBe(3 + PAGED_POLICIES);
    expect(all.List?.map((p) => [p.PolicyId, p.Type, p.AttachedTimes])).toEqual([
      [POLICY.fullAccess, 2, 3],
      [POLICY.denyCam, 1, 1],
      [POLICY.allowAll, 1, 3],
    ]);
    const preset = await client().ListPolicies({ Scope: 'QCS' });
    expect(preset.List?.map((p) => p.PolicyName)).toEqual(['FullQcloudAccess']);
    const tags = await client().ListPolicies({ PolicyType: 'TAG_POLICY', Scope: 'Local' });
    expect(tags.List?.map((p) => p.PolicyId)).toEqual([POLICY.costCenterTags]);
  });
});
