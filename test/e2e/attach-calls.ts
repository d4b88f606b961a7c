import { AttachControlPolicyRequest, AttachPolicyRequest } from '@alicloud/resourcemanager20200331';
import { AttachAgencyPolicyReqBody } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachAgencyPolicyReqBody';
import { AttachAgencyPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/AttachAgencyPolicyV5Request';
import { alibabaClient, tencentClient } from '../../local/sdk-clients';
import type { Sandbox } from '../../sandbox/server';
import { quietHuaweiClient } from '../integration/sandbox/huawei/sdk';
import type { Cloud } from './harness';
import { type Json, world } from './scenarios';

/**
 * Attach calls a person makes with the vendor SDK (the sandbox's default key) in the demo world, whose
 * audit records audit-log receives, and the variants of such a record that must be ignored.
 */

export interface AttachCall {
  title: string;
  /** The sandbox action of the attach call. */
  action: string;
  attach(url: string): Promise<unknown>;
  /** Whether the attachment is there now. */
  present(sandbox: Sandbox): boolean;
}

export interface CloudAttachCalls {
  /** The sandbox's names of the detach calls the function makes. */
  detachActions: string[];
  /** Attach calls a rule selects: each must be detached. */
  violations: AttachCall[];
  /** An attach call no rule selects: skipped, no call. */
  allowed: AttachCall;
  /** An attach call the cloud refuses: its record carries the error and is ignored. */
  failed: AttachCall;
  /** The record of a successful attach turned into that of a read call, and of a detach call. */
  asRead(event: Json): Json;
  asDetach(event: Json): Json;
}

const clone = <T>(value: T): T => structuredClone(value);

function aliAttach(title: string, rg: string, policyName: string, principalName: string): AttachCall {
  return {
    title,
    action: 'AttachPolicy',
    attach: (url) =>
      alibabaClient(url).attachPolicy(
        new AttachPolicyRequest({
          resourceGroupId: rg,
          policyType: 'System',
          policyName,
          principalType: 'IMSUser',
          principalName,
        }),
      ),
    present: (sandbox) => world.aliPolicy(sandbox, rg, policyName, principalName),
  };
}

const alibaba: CloudAttachCalls = {
  detachActions: ['DetachPolicy', 'DetachControlPolicy'],
  violations: [
    aliAttach(
      'AdministratorAccess attached to intruder@ in rg prod',
      'rg-aek2prod7xk3q',
      'AdministratorAccess',
      'intruder@corp.onaliyun.com',
    ),
    {
      title: 'control policy AllowEverythingLab attached to member prod-shop',
      action: 'AttachControlPolicy',
      attach: (url) =>
        alibabaClient(url).attachControlPolicy(
          new AttachControlPolicyRequest({ policyId: 'cp-AllowAllLab00001', targetId: '2234567890123456' }),
        ),
      present: (sandbox) => world.aliControlPolicy(sandbox, 'cp-AllowAllLab00001', '2234567890123456'),
    },
  ],
  allowed: aliAttach(
    'ReadOnlyAccess attached to carol@ (no rule)',
    'rg-aek2dev9mz4wa',
    'ReadOnlyAccess',
    'carol@corp.onaliyun.com',
  ),
  failed: aliAttach(
    'AdministratorAccess attached in a resource group that does not exist',
    'rg-aek2gone0000',
    'AdministratorAccess',
    'intruder@corp.onaliyun.com',
  ),
  asRead: (event) => {
    const e = clone(event) as { data: Json };
    e.data.eventName = 'ListPolicyAttachments';
    e.data.eventRW = 'Read';
    return e;
  },
  asDetach: (event) => {
    const e = clone(event) as { data: Json };
    e.data.eventName = 'DetachPolicy';
    return e;
  },
};

function tencentAttach(title: string, policyId: number, targetId: number): AttachCall {
  return {
    title,
    action: 'AttachPolicy',
    attach: (url) =>
      tencentClient(url).AttachPolicy({
        PolicyId: policyId,
        TargetId: targetId,
        TargetType: 'NODE',
        Type: 'SERVICE_CONTROL_POLICY',
      }),
    present: (sandbox) => world.tencentScp(sandbox, policyId, targetId),
  };
}

const tencent: CloudAttachCalls = {
  detachActions: ['DetachPolicy'],
  violations: [tencentAttach('SCP AllowAllExperimental attached to department Production', 100002, 1001)],
  allowed: tencentAttach('the allow-listed SCP DenyCamChanges attached to department Lab', 100001, 1002),
  failed: tencentAttach(
    'SCP AllowAllExperimental attached to a department that does not exist',
    100002,
    9999,
  ),
  asRead: (event) => {
    const e = clone(event) as { data: Json };
    e.data.eventName = 'DescribePolicy';
    e.data.actionType = 'Read';
    return e;
  },
  asDetach: (event) => {
    const e = clone(event) as { data: Json };
    e.data.eventName = 'DetachPolicy';
    return e;
  },
};

function huaweiAttach(title: string, policyId: string, agencyId: string): AttachCall {
  return {
    title,
    action: 'AttachAgencyPolicyV5',
    attach: (url) =>
      // The SDK's builder-made client prints error responses to stdout; this one keeps them in memory.
      quietHuaweiClient(url).attachAgencyPolicyV5(
        new AttachAgencyPolicyV5Request()
          .withPolicyId(policyId)
          .withBody(new AttachAgencyPolicyReqBody().withAgencyId(agencyId)),
      ),
    present: (sandbox) => world.huaweiPolicy(sandbox, policyId, agencyId),
  };
}

const huawei: CloudAttachCalls = {
  detachActions: ['DetachAgencyPolicyV5'],
  violations: [
    huaweiAttach(
      'FullAccess attached to agency external-auditor',
      'a5c0e3f1-full-access',
      '8d41a2b7-auditor',
    ),
  ],
  allowed: huaweiAttach(
    'OBSAdministrator attached to agency external-auditor (no rule)',
    'c9e2a5b3-obs-admin',
    '8d41a2b7-auditor',
  ),
  failed: huaweiAttach(
    'FullAccess attached to an agency that does not exist',
    'a5c0e3f1-full-access',
    'ffffffff-nobody',
  ),
  asRead: (event) => {
    const e = clone(event) as { cts: Json };
    e.cts.trace_name = 'listAttachedAgencyPoliciesV5';
    e.cts.read_only = true;
    e.cts.resource_url = '/v5/agencies/8d41a2b7-auditor/attached-policies';
    return e;
  },
  asDetach: (event) => {
    const e = clone(event) as { cts: Json };
    e.cts.trace_name = 'detachAgencyPolicyV5';
    e.cts.resource_url = String(e.cts.resource_url).replace('/attach-agency', '/detach-agency');
    return e;
  },
};

export const ATTACH_CALLS: Readonly<Record<Cloud, CloudAttachCalls>> = { alibaba, tencent, huawei };
