import {
  AttachControlPolicyRequest,
  DetachControlPolicyRequest,
  ListControlPolicyAttachmentsForTargetRequest,
  ListTargetAttachmentsForControlPolicyRequest,
} from '@alicloud/resourcemanager20200331';
import { beforeEach, describe, expect, it } from 'vitest';
import { alibabaClient } from '../../../../../local/sdk-clients';
import { useSandbox } from '../../../../helpers/sandbox';
import { expectAlibabaError } from '../calls';
import { ACCOUNT, alibabaWorld, MEMBER_KEY } from '../world';

const sandbox = useSandbox(alibabaWorld);
const client = () => alibabaClient(sandbox.current.url);
const directory = () => sandbox.current.world.alibaba.accounts[ACCOUNT]?.resourceDirectory;
const policiesOn = async (targetId: string) => {
  const { body } = await client().listControlPolicyAttachmentsForTarget(
    new ListControlPolicyAttachmentsForTargetRequest({ targetId }),
  );
  return body?.controlPolicyAttachments?.controlPolicyAttachment?.map((a) => a.policyId);
};

beforeEach(() => sandbox.current.reset());

describe('alibaba DetachControlPolicy (its API page)', () => {
  it('detaches one of two policies from a folder', async () => {
    await client().detachControlPolicy(
      new DetachControlPolicyRequest({ policyId: 'cp-deny-regions', targetId: 'fd-prod' }),
    );
    expect(await policiesOn('fd-prod')).toEqual(['cp-FullAliyunAccess']);
    expect(directory()?.controlPolicyAttachments.some((a) => a.policyId === 'cp-deny-regions')).toBe(false);
  });

  it('NotSupport.DetachLastControlPolicy (400) for the only policy on a target', async () => {
    await expectAlibabaError(
      client().detachControlPolicy(
        new DetachControlPolicyRequest({ policyId: 'cp-allow-all', targetId: 'fd-lab' }),
      ),
      {
        code: 'NotSupport.DetachLastControlPolicy',
        status: 400,
        message: 'It is not detach the last control policy on the target node.',
      },
    );
    expect(await policiesOn('fd-lab')).toEqual(['cp-allow-all']);
  });

  it('the last policy rule holds on the Root folder and on a member too', async () => {
    for (const targetId of ['r-root', '2000000000000001']) {
      await expectAlibabaError(
        client().detachControlPolicy(
          new DetachControlPolicyRequest({ policyId: 'cp-FullAliyunAccess', targetId }),
        ),
        { code: 'NotSupport.DetachLastControlPolicy', status: 400 },
      );
    }
  });

  it('EntityNotExists.Target (404) for a target outside the directory', async () => {
    await expectAlibabaError(
      client().detachControlPolicy(
        new DetachControlPolicyRequest({ policyId: 'cp-allow-all', targetId: 'fd-other' }),
      ),
      {
        code: 'EntityNotExists.Target',
        status: 404,
        message: 'The specified target does not exist in the resource directory.',
      },
    );
  });

  it('EntityNotExists.ControlPolicy (404) and EntityNotExists.ControlPolicyAttachment (404)', async () => {
    await expectAlibabaError(
      client().detachControlPolicy(
        new DetachControlPolicyRequest({ policyId: 'cp-nope', targetId: 'fd-prod' }),
      ),
      { code: 'EntityNotExists.ControlPolicy', status: 404 },
    );
    await expectAlibabaError(
      client().detachControlPolicy(
        new DetachControlPolicyRequest({ policyId: 'cp-allow-all', targetId: 'fd-prod' }),
      ),
      { code: 'EntityNotExists.ControlPolicyAttachment', status: 404 },
    );
  });

  it('InvalidControlPolicyEnablementStatus (409) when the feature is disabled', async () => {
    const rd = directory();
    if (rd) rd.controlPolicyEnabled = false;
    await expectAlibabaError(
      client().detachControlPolicy(
        new DetachControlPolicyRequest({ policyId: 'cp-deny-regions', targetId: 'fd-prod' }),
      ),
      { code: 'InvalidControlPolicyEnablementStatus', status: 409 },
    );
  });

  it('EntityNotExists.ResourceDirectory (404) for an account without a directory', async () => {
    await expectAlibabaError(
      alibabaClient(sandbox.current.url, MEMBER_KEY).detachControlPolicy(
        new DetachControlPolicyRequest({ policyId: 'cp-deny-regions', targetId: 'fd-prod' }),
      ),
      { code: 'EntityNotExists.ResourceDirectory', status: 404 },
    );
  });
});

describe('alibaba AttachControlPolicy and the control policy lists', () => {
  it('attaches, refuses a duplicate, and lists the targets page by page', async () => {
    await client().attachControlPolicy(
      new AttachControlPolicyRequest({ policyId: 'cp-deny-regions', targetId: 'fd-lab' }),
    );
    await client().attachControlPolicy(
      new AttachControlPolicyRequest({ policyId: 'cp-deny-regions', targetId: 'r-root' }),
    );
    await expectAlibabaError(
      client().attachControlPolicy(
        new AttachControlPolicyRequest({ policyId: 'cp-deny-regions', targetId: 'r-root' }),
      ),
      { code: 'EntityAlreadyExists.ControlPolicyAttachment', status: 409 },
    );
    const targets: string[] = [];
    for (let pageNumber = 1; pageNumber <= 2; pageNumber++) {
      const { body } = await client().listTargetAttachmentsForControlPolicy(
        new ListTargetAttachmentsForControlPolicyRequest({
          policyId: 'cp-deny-regions',
          pageNumber,
          pageSize: 2,
        }),
      );
      expect(body).toMatchObject({ totalCount: 3, pageNumber, pageSize: 2 });
      targets.push(
        ...(body?.targetAttachments?.targetAttachment ?? []).map((t) => `${t.targetType}:${t.targetName}`),
      );
    }
    expect(targets).toEqual(['Folder:Production', 'Folder:Lab', 'Root:Root']);
  });

  it('reports policy details and effect scope per target', async () => {
    const { body } = await client().listControlPolicyAttachmentsForTarget(
      new ListControlPolicyAttachmentsForTargetRequest({ targetId: 'fd-prod' }),
    );
    expect(body?.controlPolicyAttachments?.controlPolicyAttachment).toEqual([
      expect.objectContaining({ policyId: 'cp-FullAliyunAccess', policyType: 'System', effectScope: 'All' }),
      expect.objectContaining({ policyId: 'cp-deny-regions', policyName: 'DenyRegions', effectScope: 'RAM' }),
    ]);
    await expectAlibabaError(
      client().listControlPolicyAttachmentsForTarget(
        new ListControlPolicyAttachmentsForTargetRequest({ targetId: 'x' }),
      ),
      { code: 'EntityNotExists.Target', status: 404 },
    );
    await expectAlibabaError(
      client().listTargetAttachmentsForControlPolicy(
        new ListTargetAttachmentsForControlPolicyRequest({ policyId: 'cp-missing' }),
      ),
      { code: 'EntityNotExists.ControlPolicy', status: 404 },
    );
  });
});
