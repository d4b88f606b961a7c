import { AttachAgencyPolicyReqBody } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachAgencyPolicyReqBody';
import { AttachAgencyPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachAgencyPolicyV5Request';
import { DetachAgencyPolicyReqBody } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyReqBody';
import { DetachAgencyPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyV5Request';
import { ListAttachedAgencyPoliciesV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/ListAttachedAgencyPoliciesV5Request';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSandbox } from '../../../../helpers/sandbox';
import { quietHuaweiClient, signedCall, wire } from '../sdk';
import { DOMAIN, huaweiWorld, KEYS, OTHER_DOMAIN } from '../world';

const sandbox = useSandbox(huaweiWorld);
const client = () => quietHuaweiClient(sandbox.current.url);

const detach = (policyId: string, agencyId?: string, creds = {}) =>
  quietHuaweiClient(sandbox.current.url, creds).detachAgencyPolicyV5(
    new DetachAgencyPolicyV5Request(policyId).withBody(new DetachAgencyPolicyReqBody(agencyId as string)),
  );
const attach = (policyId: string, agencyId: string) =>
  client().attachAgencyPolicyV5(
    new AttachAgencyPolicyV5Request(policyId).withBody(new AttachAgencyPolicyReqBody(agencyId)),
  );
const attachedTo = async (agencyId: string) => {
  const res = wire<{ attached_policies: { policy_id: string }[] }>(
    await client().listAttachedAgencyPoliciesV5(new ListAttachedAgencyPoliciesV5Request(agencyId)),
  );
  return res.attached_policies.map((p) => p.policy_id);
};

/** The SDK error as the provider layer will see it: ClientRequestException / ServerResponseException. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as {
      name: string;
      httpStatusCode: number;
      errorCode: string;
      errorMsg: string;
      requestId: string;
    };
  }
  throw new Error('expected the call to fail');
}

beforeEach(() => sandbox.current.reset());

describe('huawei DetachAgencyPolicyV5 (its API page)', () => {
  it('detaches: 200 without a body, the SDK resolves {httpStatusCode: 200}, the list no longer has it', async () => {
    expect(await attachedTo('ag-ci')).toContain('p-full');
    const res = await detach('p-full', 'ag-ci');
    expect(res).toEqual({ httpStatusCode: 200 });
    expect(await attachedTo('ag-ci')).not.toContain('p-full');
    expect(sandbox.current.world.huawei.accounts[DOMAIN]?.attachments).not.toContainEqual(
      expect.objectContaining({ policyId: 'p-full', agencyId: 'ag-ci' }),
    );
    expect(sandbox.current.calls.totals().byAction['huawei:DetachAgencyPolicyV5']).toEqual({
      total: 1,
      applied: 1,
      errors: 0,
    });
  });

  it('detaches from a trust agency too', async () => {
    await detach('p-read', 'ag-trust');
    expect(await attachedTo('ag-trust')).toEqual([]);
  });

  it('404 IAM.0004 when the policy is not attached (a second detach), with the request id', async () => {
    await detach('p-full', 'ag-ci');
    const error = await failure(detach('p-full', 'ag-ci'));
    expect(error).toMatchObject({
      name: 'ClientRequestException',
      httpStatusCode: 404,
      errorCode: 'IAM.0004',
      errorMsg: 'Could not find policy attachment: p-full on agency ag-ci.',
    });
    expect(error.requestId).toBe(sandbox.current.calls.list().at(-1)?.requestId);
  });

  it('404 IAM.0004 when the policy or the agency does not exist', async () => {
    expect(await failure(detach('p-missing', 'ag-ci'))).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'IAM.0004',
      errorMsg: 'Could not find policy: p-missing.',
    });
    expect(await failure(detach('p-full', 'ag-missing'))).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'IAM.0004',
      errorMsg: 'Could not find agency: ag-missing.',
    });
  });

  it("404 for another domain's agency: each account sees only its own", async () => {
    expect(await failure(detach('p-full', 'ag-other'))).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'IAM.0004',
    });
    await detach('p-full', 'ag-other', KEYS.other);
    expect(sandbox.current.world.huawei.accounts[OTHER_DOMAIN]?.attachments).toEqual([]);
  });

  it('409 IAM.0005 while the agency is busy, and nothing changes', async () => {
    expect(await failure(detach('p-full', 'ag-busy'))).toMatchObject({
      name: 'ClientRequestException',
      httpStatusCode: 409,
      errorCode: 'IAM.0005',
      errorMsg: 'Conflict occurred attempting to store agency - ag-busy is being modified, try again later.',
    });
    expect(sandbox.current.world.huawei.accounts[DOMAIN]?.attachments).toContainEqual(
      expect.objectContaining({ policyId: 'p-full', agencyId: 'ag-busy' }),
    );
  });

  it('403 PAP5.0001 with encoded_authorization_message for a key denied the action', async () => {
    const error = await failure(detach('p-full', 'ag-ci', KEYS.readonly));
    expect(error).toMatchObject({
      httpStatusCode: 403,
      errorCode: 'PAP5.0001',
      errorMsg: expect.stringMatching(/^access denied: .*iam:agencies:detachPolicyV5/),
      encodedAuthorizationMessage: expect.any(String),
    });
    expect(await attachedTo('ag-ci')).toContain('p-full');
  });

  it('400 for ids outside 1-64 letters, digits and hyphens, and for a missing agency_id', async () => {
    expect(await failure(detach('p_full', 'ag-ci'))).toMatchObject({
      httpStatusCode: 400,
      errorCode: 'IAM.0007',
      errorMsg: 'Request parameter policy_id is invalid.',
    });
    expect(await failure(detach('p-full', 'a'.repeat(65)))).toMatchObject({
      httpStatusCode: 400,
      errorCode: 'IAM.0007',
      errorMsg: 'Request parameter agency_id is invalid.',
    });
    expect(await failure(detach('p-full'))).toMatchObject({
      httpStatusCode: 400,
      errorCode: 'IAM.0072',
      errorMsg: "'agency_id' is a required property.",
    });
  });

  it('400 IAM.0011 for a body that is not JSON', async () => {
    const reply = await signedCall(sandbox.current.url, {
      method: 'POST',
      path: '/v5/policies/p-full/detach-agency',
      rawBody: '{"agency_id":',
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({
      error_code: 'IAM.0011',
      error_msg: 'Request body is invalid.',
      request_id: reply.headers['x-request-id'],
    });
  });
});

describe('huawei AttachAgencyPolicyV5', () => {
  it('attaches (read back through the list) and answers 409 IAM.0005 when already attached', async () => {
    expect(await attach('p-obs', 'ag-trust')).toEqual({ httpStatusCode: 200 });
    expect(await attachedTo('ag-trust')).toEqual(['p-obs', 'p-read']);
    expect(await failure(attach('p-obs', 'ag-trust'))).toMatchObject({
      httpStatusCode: 409,
      errorCode: 'IAM.0005',
      errorMsg:
        'Conflict occurred attempting to store policy attachment - policy p-obs is already attached to agency ag-trust.',
    });
  });

  it('409 PAP5.0003 past the per-agency quota', async () => {
    await attach('p-read', 'ag-ci');
    expect(await failure(attach('p-obs', 'ag-ci'))).toMatchObject({
      httpStatusCode: 409,
      errorCode: 'PAP5.0003',
      errorMsg: 'attached policies per agency limit exceeded',
    });
  });

  it('404 for a missing policy or agency, 409 for a busy agency', async () => {
    expect(await failure(attach('p-nope', 'ag-ci'))).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'IAM.0004',
    });
    expect(await failure(attach('p-obs', 'ag-nope'))).toMatchObject({
      httpStatusCode: 404,
      errorCode: 'IAM.0004',
    });
    expect(await failure(attach('p-obs', 'ag-busy'))).toMatchObject({
      httpStatusCode: 409,
      errorCode: 'IAM.0005',
    });
  });
});
