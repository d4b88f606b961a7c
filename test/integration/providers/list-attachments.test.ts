import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../../sandbox/seeds';
import type { WorldInput } from '../../../sandbox/world';
import { SCAN_PERMISSIONS as ALIBABA_SCAN } from '../../../shared/providers/alibaba';
import { SCAN_PERMISSIONS as HUAWEI_SCAN } from '../../../shared/providers/huawei';
import { ATTACHMENT_LISTERS } from '../../../shared/providers/listers';
import { SCAN_PERMISSIONS as TENCENT_SCAN } from '../../../shared/providers/tencent';
import type { ProviderContext } from '../../../shared/providers/types';
import { parseRequest } from '../../../shared/requests';
import { useSandbox } from '../../helpers/sandbox';

const DEMO_ACCOUNT = '1234567890123456';

function world(): WorldInput {
  const demo = loadSeed('demo') as WorldInput & { alibaba: { accounts: Record<string, unknown> } };
  const account = demo.alibaba.accounts[DEMO_ACCOUNT] as {
    attachments: Record<string, string>[];
  };
  // 230 more read-only attachments: three pages of ListPolicyAttachments.
  for (let i = 0; i < 230; i++) {
    account.attachments.push({
      resourceGroupId: 'rg-aek2dev9mz4wa',
      policyType: 'System',
      policyName: 'ReadOnlyAccess',
      principalType: 'IMSUser',
      principalName: `reader${String(i).padStart(3, '0')}@corp.onaliyun.com`,
    });
  }
  return {
    ...demo,
    keys: [
      ...(demo.keys ?? []),
      {
        cloud: 'alibaba',
        accessKeyId: 'no-cp-list',
        secret: 'no-cp-list-secret',
        deny: ['ListControlPolicies'],
      },
      // An account of its own, with no resource directory.
      { cloud: 'alibaba', accessKeyId: 'member', secret: 'member-secret', account: '3234567890123456' },
    ],
    alibaba: { ...demo.alibaba, accounts: { ...demo.alibaba.accounts, '3234567890123456': {} } },
  } as WorldInput;
}

const sandbox = useSandbox(world);
const context = (accessKeyId = 'sandbox', accessKeySecret = 'sandbox-secret'): ProviderContext => ({
  credentials: { accessKeyId, accessKeySecret },
  endpoint: sandbox.current.url,
  timeoutMs: 5_000,
});

describe('attachment listing for remediate scan', () => {
  it('alibaba: every page of RAM policy attachments, then the control policies of the directory', async () => {
    sandbox.current.calls.clear();
    const result = await ATTACHMENT_LISTERS.alibaba.list(context());
    expect(result.error).toBeUndefined();
    expect(result.notes).toEqual([]);
    const ram = result.attachments.filter((a) => a.request.operation === 'detach-policy');
    const cp = result.attachments.filter((a) => a.request.operation === 'detach-control-policy');
    expect(ram).toHaveLength(237);
    expect(cp).toHaveLength(7);
    expect(cp).toContainEqual({
      request: {
        provider: 'alibaba',
        operation: 'detach-control-policy',
        policyId: 'cp-DenyRegions00001',
        targetId: 'fd-Prod0001',
      },
      names: { policy: 'DenyNonApprovedRegions', target: 'Production' },
    });
    for (const a of result.attachments) expect(parseRequest(a.request).ok, JSON.stringify(a)).toBe(true);
    const actions = sandbox.current.calls.list().map((c) => c.action);
    expect(actions.filter((a) => a === 'ListPolicyAttachments')).toHaveLength(3);
    expect(actions.filter((a) => a === 'ListControlPolicies')).toHaveLength(1);
    expect(actions.filter((a) => a === 'ListTargetAttachmentsForControlPolicy')).toHaveLength(3);
    expect(new Set(actions)).toEqual(new Set(ALIBABA_SCAN.map((p) => p.split(':')[1])));
  });

  it('alibaba: stops at the page bound and says so', async () => {
    const result = await ATTACHMENT_LISTERS.alibaba.list(context(), { maxPages: 2 });
    expect(result.attachments.filter((a) => a.request.operation === 'detach-policy')).toHaveLength(200);
    expect(result.notes).toEqual([
      'alibaba ListPolicyAttachments: stopped after 2 pages (200 items); the rest was not read',
    ]);
  });

  it('alibaba: an account without a resource directory has no control policies, which is no error', async () => {
    const result = await ATTACHMENT_LISTERS.alibaba.list(context('member', 'member-secret'));
    expect(result).toEqual({
      attachments: [],
      notes: ['alibaba: the account manages no resource directory, so it has no control policies to scan'],
    });
  });

  it('alibaba: a refused list call returns what was listed before it, with the error', async () => {
    const result = await ATTACHMENT_LISTERS.alibaba.list(context('no-cp-list', 'no-cp-list-secret'));
    expect(result.attachments).toHaveLength(237);
    expect(result.error).toMatchObject({ code: 'NoPermission', errorClass: 'permission', httpStatus: 403 });
  });

  it('tencent: the bindings of both policy types, with node and member targets', async () => {
    sandbox.current.calls.clear();
    const result = await ATTACHMENT_LISTERS.tencent.list(context());
    expect(result.error).toBeUndefined();
    expect(result.attachments).toHaveLength(7);
    expect(result.attachments).toContainEqual({
      request: {
        provider: 'tencent',
        operation: 'detach-policy',
        policyId: 100002,
        targetId: 100000000003,
        targetType: 'MEMBER',
        type: 'SERVICE_CONTROL_POLICY',
      },
      names: { policy: 'AllowAllExperimental', target: 'lab-experiments' },
    });
    expect(result.attachments.filter((a) => a.request.type === 'TAG_POLICY')).toHaveLength(1);
    for (const a of result.attachments) expect(parseRequest(a.request).ok).toBe(true);
    expect(new Set(sandbox.current.calls.list().map((c) => c.action))).toEqual(
      new Set(TENCENT_SCAN.map((p) => p.split(':')[1])),
    );
  });

  it('huawei: the agencies each attached identity policy is attached to', async () => {
    sandbox.current.calls.clear();
    const result = await ATTACHMENT_LISTERS.huawei.list(context());
    expect(result.error).toBeUndefined();
    expect(result.attachments.map((a) => `${a.request.policyId} ${a.request.agencyId}`).sort()).toEqual([
      'a5c0e3f1-full-access 2c9f7e60-migration',
      'a5c0e3f1-full-access 5b3e0c1f-ci-deployer',
      'b7d1f4a2-readonly-access 8d41a2b7-auditor',
      'c9e2a5b3-obs-admin 5b3e0c1f-ci-deployer',
    ]);
    expect(result.attachments[0]?.names?.policy).toBeTruthy();
    expect(new Set(sandbox.current.calls.list().map((c) => c.action))).toEqual(
      new Set(['ListPoliciesV5', 'ListEntitiesForPolicyV5']),
    );
    expect(HUAWEI_SCAN).toEqual(['iam:policies:listV5', 'iam:policies:listEntitiesV5']);
  });

  it('reports a network failure as the error of the cloud', async () => {
    const result = await ATTACHMENT_LISTERS.huawei.list({ ...context(), endpoint: 'http://127.0.0.1:9' });
    expect(result.attachments).toEqual([]);
    expect(result.error).toMatchObject({ errorClass: 'transient' });
  });
});
