import {
  AttachPolicyRequest,
  DeletePolicyRequest,
  DeletePolicyVersionRequest,
  DetachPolicyRequest,
  ListPoliciesRequest,
  ListPolicyAttachmentsRequest,
  ListPolicyVersionsRequest,
  ListResourceGroupsRequest,
} from '@alicloud/resourcemanager20200331';
import { beforeEach, describe, expect, it } from 'vitest';
import { alibabaClient } from '../../../../../local/sdk-clients';
import { useSandbox } from '../../../../helpers/sandbox';
import { expectAlibabaError } from '../calls';
import { ACCOUNT, alibabaWorld, PAGED_USERS } from '../world';

const sandbox = useSandbox(alibabaWorld);
const client = () => alibabaClient(sandbox.current.url);
const account = () => sandbox.current.world.alibaba.accounts[ACCOUNT];

const mallory = {
  resourceGroupId: 'rg-prod',
  policyType: 'System',
  policyName: 'AdministratorAccess',
  principalType: 'IMSUser',
  principalName: 'mallory@corp.onaliyun.com',
};

beforeEach(() => sandbox.current.reset());

describe('alibaba DetachPolicy (its API page)', () => {
  it('detaches, and the attachment is gone from the list and the state', async () => {
    const response = await client().detachPolicy(new DetachPolicyRequest(mallory));
    expect(response.statusCode).toBe(200);
    expect(response.body?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const listed = await client().listPolicyAttachments(
      new ListPolicyAttachmentsRequest({ resourceGroupId: 'rg-prod', policyName: 'AdministratorAccess' }),
    );
    expect(listed.body?.totalCount).toBe(0);
    expect(account()?.attachments.some((a) => a.principalName === mallory.principalName)).toBe(false);
  });

  it('detaches at account scope when ResourceGroupId is the account id', async () => {
    await client().detachPolicy(
      new DetachPolicyRequest({
        resourceGroupId: ACCOUNT,
        policyType: 'Custom',
        policyName: 'OSS-Administrator',
        principalType: 'IMSGroup',
        principalName: 'storage-team',
      }),
    );
    expect(account()?.attachments.some((a) => a.principalName === 'storage-team')).toBe(false);
  });

  it('InvalidParameter.PolicyType (400) for a type other than Custom/System', async () => {
    await expectAlibabaError(
      client().detachPolicy(new DetachPolicyRequest({ ...mallory, policyType: 'Managed' })),
      {
        code: 'InvalidParameter.PolicyType',
        status: 400,
        message: 'The specified policy type is invalid.',
      },
    );
  });

  it('EntityNotExist.Policy (404) for an unknown policy, System ones included', async () => {
    await expectAlibabaError(
      client().detachPolicy(new DetachPolicyRequest({ ...mallory, policyName: 'Nope' })),
      {
        code: 'EntityNotExist.Policy',
        status: 404,
        message: 'The policy does not exist.',
      },
    );
  });

  it('EntityNotExists.ResourceGroup (404) for a group the account does not have', async () => {
    await expectAlibabaError(
      client().detachPolicy(new DetachPolicyRequest({ ...mallory, resourceGroupId: 'rg-elsewhere' })),
      {
        code: 'EntityNotExists.ResourceGroup',
        status: 404,
        message: 'The specified resource group does not exist. You must first create a resource group.',
      },
    );
  });

  it.each(['rg-new', 'rg-old', 'rg-gone'])('Invalid.ResourceGroup.Status (409) for %s', async (group) => {
    await expectAlibabaError(
      client().detachPolicy(new DetachPolicyRequest({ ...mallory, resourceGroupId: group })),
      {
        code: 'Invalid.ResourceGroup.Status',
        status: 409,
        message: 'You cannot perform an operation on a resource group that is being created or deleted.',
      },
    );
    expect(account()?.attachments.filter((a) => a.principalName === mallory.principalName)).toHaveLength(1);
  });

  it.each([
    ['IMSUser', 'EntityNotExist.User.Policy'],
    ['IMSGroup', 'EntityNotExist.Group.Policy'],
    ['ServiceRole', 'EntityNotExist.Role.Policy'],
  ])('%s not attached: %s (404)', async (principalType, code) => {
    await expectAlibabaError(
      client().detachPolicy(new DetachPolicyRequest({ ...mallory, principalType, principalName: 'nobody' })),
      { code, status: 404 },
    );
  });

  it('MissingParameter (400) names the absent parameter; InvalidParameter for a bad PrincipalType', async () => {
    const { principalName: _omitted, ...rest } = mallory;
    await expectAlibabaError(client().detachPolicy(new DetachPolicyRequest(rest)), {
      code: 'MissingParameter',
      status: 400,
      message:
        'The input parameter "PrincipalName" that is mandatory for processing this request is not supplied.',
    });
    await expectAlibabaError(
      client().detachPolicy(new DetachPolicyRequest({ ...mallory, principalType: 'Robot' })),
      {
        code: 'InvalidParameter',
        status: 400,
        message: 'The specified parameter "PrincipalType" is not valid.',
      },
    );
  });
});

describe('alibaba AttachPolicy and ListPolicyAttachments', () => {
  it('attaches once, then refuses the duplicate', async () => {
    const request = new AttachPolicyRequest({ ...mallory, principalName: 'eve@corp.onaliyun.com' });
    await client().attachPolicy(request);
    const listed = await client().listPolicyAttachments(
      new ListPolicyAttachmentsRequest({ principalName: 'eve@corp.onaliyun.com' }),
    );
    expect(listed.body?.policyAttachments?.policyAttachment).toEqual([
      expect.objectContaining({
        policyName: 'AdministratorAccess',
        resourceGroupId: 'rg-prod',
        policyType: 'System',
      }),
    ]);
    await expectAlibabaError(client().attachPolicy(request), {
      code: 'EntityAlreadyExists.User.Policy',
      status: 409,
      message: 'The user has already been attached this policy.',
    });
  });

  it('refuses a resource group in transition', async () => {
    await expectAlibabaError(
      client().attachPolicy(new AttachPolicyRequest({ ...mallory, resourceGroupId: 'rg-new' })),
      {
        code: 'Invalid.ResourceGroup.Status',
        status: 409,
      },
    );
  });

  it('pages through every attachment with PageNumber/PageSize and filters', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 4; page++) {
      const { body } = await client().listPolicyAttachments(
        new ListPolicyAttachmentsRequest({
          resourceGroupId: 'rg-prod',
          policyName: 'ReadOnlyAccess',
          policyType: 'System',
          principalType: 'IMSUser',
          pageNumber: page,
          pageSize: 4,
        }),
      );
      expect(body).toMatchObject({ totalCount: 15, pageNumber: page, pageSize: 4 });
      seen.push(...(body?.policyAttachments?.policyAttachment ?? []).map((a) => a.principalName ?? ''));
    }
    expect(seen).toEqual(PAGED_USERS);
  });

  it('validates paging and filters', async () => {
    await expectAlibabaError(
      client().listPolicyAttachments(new ListPolicyAttachmentsRequest({ pageSize: 101 })),
      {
        code: 'InvalidParameter',
        status: 400,
        message: /"PageSize"/,
      },
    );
    await expectAlibabaError(
      client().listPolicyAttachments(new ListPolicyAttachmentsRequest({ resourceGroupId: 'rg-missing' })),
      { code: 'EntityNotExists.ResourceGroup', status: 404 },
    );
  });
});

describe('alibaba DeletePolicy (its API page) and versions', () => {
  it('deletes an unused custom policy', async () => {
    await client().deletePolicy(new DeletePolicyRequest({ policyName: 'unused' }));
    const { body } = await client().listPolicies(
      new ListPoliciesRequest({ policyType: 'Custom', pageSize: 100 }),
    );
    expect(body?.policies?.policy?.map((p) => p.policyName)).not.toContain('unused');
  });

  it('InvalidParameter.PolicyName.InvalidChars (400)', async () => {
    await expectAlibabaError(client().deletePolicy(new DeletePolicyRequest({ policyName: 'bad_name' })), {
      code: 'InvalidParameter.PolicyName.InvalidChars',
      status: 400,
      message:
        'The policy name contains invalid characters. It must only contain upper or lower case letters, numbers, and dash (-).',
    });
  });

  it('InvalidParameter.PolicyName.Length (400) past 128 characters, with the API page message', async () => {
    await expectAlibabaError(
      client().deletePolicy(new DeletePolicyRequest({ policyName: 'a'.repeat(129) })),
      {
        code: 'InvalidParameter.PolicyName.Length',
        status: 400,
        message: 'The length of the policy name is invalid. It must be 1 to 64 characters in length.',
      },
    );
    // 65–128 characters pass the rule: the answer is about existence, not length.
    await expectAlibabaError(
      client().deletePolicy(new DeletePolicyRequest({ policyName: 'a'.repeat(128) })),
      {
        code: 'EntityNotExist.Policy',
        status: 404,
      },
    );
  });

  it('EntityNotExist.Policy (404), also for a System policy', async () => {
    await expectAlibabaError(
      client().deletePolicy(new DeletePolicyRequest({ policyName: 'ReadOnlyAccess' })),
      {
        code: 'EntityNotExist.Policy',
        status: 404,
        message: 'The policy does not exist.',
      },
    );
  });

  it.each([
    [
      'user-held',
      'DeleteConflict.Policy.User',
      'Before deleting the policy, it may not be attached to any user.',
    ],
    [
      'group-held',
      'DeleteConflict.Policy.Group',
      'The policy cannot be attached to any group when you delete it.',
    ],
    [
      'role-held',
      'DeleteConflict.Policy.Role',
      'The policy cannot be attached to any role when you delete it.',
    ],
    [
      'versioned',
      'DeleteConflict.Policy.Version',
      'You must delete all non-default versions before you delete the policy.',
    ],
  ])('%s: %s (409)', async (policyName, code, message) => {
    await expectAlibabaError(client().deletePolicy(new DeletePolicyRequest({ policyName })), {
      code,
      status: 409,
      message,
    });
    expect(account()?.policies.some((p) => p.name === policyName)).toBe(true);
  });

  it('lists versions, deletes a non-default one, refuses the default, then deletes the policy', async () => {
    const listed = await client().listPolicyVersions(
      new ListPolicyVersionsRequest({ policyName: 'versioned', policyType: 'Custom' }),
    );
    expect(listed.body?.policyVersions?.policyVersion?.map((v) => [v.versionId, v.isDefaultVersion])).toEqual(
      [
        ['v1', false],
        ['v2', true],
      ],
    );
    await expectAlibabaError(
      client().deletePolicyVersion(
        new DeletePolicyVersionRequest({ policyName: 'versioned', versionId: 'v2' }),
      ),
      {
        code: 'DeleteConflict.Policy.Version.Default',
        status: 409,
        message: 'You cannot delete the default policy version.',
      },
    );
    await client().deletePolicyVersion(
      new DeletePolicyVersionRequest({ policyName: 'versioned', versionId: 'v1' }),
    );
    await expectAlibabaError(
      client().deletePolicyVersion(
        new DeletePolicyVersionRequest({ policyName: 'versioned', versionId: 'v1' }),
      ),
      { code: 'EntityNotExist.Policy.Version', status: 404 },
    );
    await expectAlibabaError(
      client().deletePolicyVersion(
        new DeletePolicyVersionRequest({ policyName: 'versioned', versionId: 'latest' }),
      ),
      { code: 'InvalidParameter.VersionId.Format', status: 400 },
    );
    await client().deletePolicy(new DeletePolicyRequest({ policyName: 'versioned' }));
    expect(account()?.policies.some((p) => p.name === 'versioned')).toBe(false);
  });

  it('ListPolicyVersions checks the name rule and the type', async () => {
    await expectAlibabaError(
      client().listPolicyVersions(new ListPolicyVersionsRequest({ policyName: 'x y', policyType: 'Custom' })),
      { code: 'InvalidParameter.PolicyName.InvalidChars', status: 400 },
    );
    await expectAlibabaError(
      client().listPolicyVersions(
        new ListPolicyVersionsRequest({ policyName: 'unused', policyType: 'System' }),
      ),
      { code: 'EntityNotExist.Policy', status: 404 },
    );
  });

  it('ListPolicies and ListResourceGroups describe the account for scanning', async () => {
    const policies = await client().listPolicies(new ListPoliciesRequest({ policyType: 'System' }));
    expect(
      policies.body?.policies?.policy?.map((p) => [p.policyName, p.defaultVersion, p.attachmentCount]),
    ).toEqual([
      ['AdministratorAccess', 'v1', 2],
      ['ReadOnlyAccess', 'v1', 15],
    ]);
    const groups = await client().listResourceGroups(new ListResourceGroupsRequest({ status: 'Creating' }));
    expect(groups.body?.resourceGroups?.resourceGroup).toEqual([
      expect.objectContaining({ id: 'rg-new', name: 'new', status: 'Creating', accountId: ACCOUNT }),
    ]);
  });
});
