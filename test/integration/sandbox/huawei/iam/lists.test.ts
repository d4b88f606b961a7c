import { DetachAgencyPolicyReqBody } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyReqBody';
import { DetachAgencyPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyV5Request';
import { ListAttachedAgencyPoliciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAttachedAgencyPoliciesV5Request';
import { ListEntitiesForPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListEntitiesForPolicyV5Request';
import { ListPoliciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListPoliciesV5Request';
import { afterEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../../../../helpers/sandbox';
import { failure, type PageInfoWire, quietHuaweiClient, wire } from '../sdk';
import { huaweiWorld, PAGED_POLICIES } from '../world';

const sandbox = useSandbox(huaweiWorld);
const client = () => quietHuaweiClient(sandbox.current.url);

interface AttachedPage {
  attached_policies: { policy_name: string; policy_id: string; urn: string; attached_at: string }[];
  page_info: PageInfoWire;
}

const attachedPage = async (agencyId: string, limit?: number, marker?: string) => {
  const request = new ListAttachedAgencyPoliciesV5Request(agencyId);
  if (limit !== undefined) request.withLimit(limit);
  if (marker !== undefined) request.withMarker(marker);
  return wire<AttachedPage>(await client().listAttachedAgencyPoliciesV5(request));
};

afterEach(() => sandbox.current.reset());

describe('huawei ListAttachedAgencyPoliciesV5', () => {
  it('answers the SDK model fields with current_count and no marker on the last page', async () => {
    const page = await attachedPage('ag-trust');
    expect(page).toEqual({
      httpStatusCode: 200,
      attached_policies: [
        {
          policy_name: 'ReadOnlyAccess',
          policy_id: 'p-read',
          urn: 'iam::system:policy/ReadOnlyAccess',
          attached_at: '2025-02-01T00:00:00.000Z',
        },
      ],
      page_info: { current_count: 1 },
    });
  });

  it('pages with limit and next_marker until every attachment was seen once', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await attachedPage('ag-ci', 2, marker);
      expect(page.page_info.current_count).toBe(page.attached_policies.length);
      seen.push(...page.attached_policies.map((p) => p.policy_id));
      marker = page.page_info.next_marker;
      pages += 1;
    } while (marker !== undefined && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(['p-01', 'p-02', 'p-03', 'p-04', 'p-05', 'p-full']);
  });

  it('keeps its place when an item of an earlier page is detached between two pages', async () => {
    const first = await attachedPage('ag-ci', 2);
    await client().detachAgencyPolicyV5(
      new DetachAgencyPolicyV5Request('p-01').withBody(new DetachAgencyPolicyReqBody('ag-ci')),
    );
    const second = await attachedPage('ag-ci', 2, first.page_info.next_marker);
    expect(second.attached_policies.map((p) => p.policy_id)).toEqual(['p-03', 'p-04']);
  });

  it('400 PAP5.0010 for a marker it never issued, IAM.0007 for a limit outside 1-200', async () => {
    expect(await failure(attachedPage('ag-ci', 2, 'bm90LWEtbWFya2Vy'))).toMatchObject({
      httpStatusCode: 400,
      errorCode: 'PAP5.0010',
      errorMsg: 'invalid marker',
    });
    expect(await failure(attachedPage('ag-ci', 2, 'x'))).toMatchObject({ errorCode: 'PAP5.0010' });
    expect(await failure(attachedPage('ag-ci', 0))).toMatchObject({
      httpStatusCode: 400,
      errorCode: 'IAM.0007',
      errorMsg: 'Request parameter limit is invalid.',
    });
    expect(await failure(attachedPage('ag-ci', 201))).toMatchObject({ errorCode: 'IAM.0007' });
  });

  it('404 IAM.0004 for an unknown agency', async () => {
    expect(await failure(attachedPage('ag-nope'))).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'IAM.0004',
    });
  });
});

describe('huawei ListEntitiesForPolicyV5', () => {
  const entities = async (
    policyId: string,
    entityType?: 'user' | 'group' | 'agency',
    limit?: number,
    marker?: string,
  ) => {
    const request = new ListEntitiesForPolicyV5Request(policyId);
    if (entityType) request.withEntityType(entityType);
    if (limit !== undefined) request.withLimit(limit);
    if (marker !== undefined) request.withMarker(marker);
    return wire<{
      policy_agencies?: { agency_id: string; attached_at: string }[];
      policy_groups?: unknown[];
      policy_users?: unknown[];
      page_info: PageInfoWire;
    }>(await client().listEntitiesForPolicyV5(request));
  };

  it('lists the agencies a policy is attached to, filtered by entity_type, paged', async () => {
    const all = await entities('p-full');
    expect(all).toMatchObject({
      policy_agencies: [{ agency_id: 'ag-busy' }, { agency_id: 'ag-ci' }],
      policy_groups: [],
    });
    const first = await entities('p-full', 'agency', 1);
    expect(first.policy_agencies?.map((a) => a.agency_id)).toEqual(['ag-busy']);
    expect(first.policy_groups).toBeUndefined();
    const second = await entities('p-full', 'agency', 1, first.page_info.next_marker);
    expect(second).toMatchObject({
      policy_agencies: [{ agency_id: 'ag-ci' }],
      page_info: { current_count: 1 },
    });
    expect(second.page_info.next_marker).toBeUndefined();
    expect(await entities('p-full', 'user')).toMatchObject({
      policy_users: [],
      page_info: { current_count: 0 },
    });
  });

  it('404 for an unknown policy', async () => {
    expect(await failure(entities('p-nope'))).toMatchObject({ httpStatusCode: 404, errorCode: 'IAM.0004' });
  });
});

describe('huawei ListPoliciesV5', () => {
  it('filters by type, path prefix and attachment, with attachment_count', async () => {
    const list = async (request: ListPoliciesV5Request) =>
      wire<{ policies: { policy_id: string; attachment_count: number }[] }>(
        await client().listPoliciesV5(request),
      ).policies;
    expect(
      (await list(new ListPoliciesV5Request().withPolicyType('system'))).map((p) => p.policy_id),
    ).toEqual(['p-full', 'p-read']);
    expect(await list(new ListPoliciesV5Request().withPathPrefix('storage/'))).toMatchObject([
      { policy_id: 'p-obs', attachment_count: 0 },
    ]);
    const attached = await list(new ListPoliciesV5Request().withOnlyAttached(true));
    expect(attached.map((p) => p.policy_id)).toEqual([...PAGED_POLICIES, 'p-full', 'p-read']);
    expect(attached.find((p) => p.policy_id === 'p-full')?.attachment_count).toBe(2);
  });
});
