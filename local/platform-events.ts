import { randomUUID } from 'node:crypto';
import type { CallRecord } from '../sandbox/calls';
import type { QueuedMessage } from './queue';

/**
 * The events the platforms deliver, built from what happens in the sandbox: ActionTrail records via
 * EventBridge (Alibaba), CloudAudit via EventBridge (Tencent) and CTS (Huawei) for every attach call,
 * and each platform's queue batch format. Shapes follow the samples in test/fixtures/events.
 */
const AUDITED: Readonly<Record<string, readonly string[]>> = {
  alibaba: ['AttachPolicy', 'AttachControlPolicy'],
  tencent: ['AttachPolicy'],
  huawei: ['AttachAgencyPolicyV5'],
};

/**
 * The audit event of an attach call: `documented` is the shape the vendor documentation describes (every
 * parameter present); `delivered` (the default, what `npm start` feeds the functions) is the shape real
 * deliveries take where they differ (issue 12): a CTS trace without request contents or resource_url, and a
 * CloudAudit ApiCall without parameters inside an EventBridge `EventList` batch.
 */
export function auditEventFor(
  call: CallRecord,
  shape: 'delivered' | 'documented' = 'delivered',
): unknown | undefined {
  const event = documentedAuditEvent(call);
  if (event === undefined || shape === 'documented' || call.code) return event;
  const params = (call.params ?? {}) as Record<string, unknown>;
  if (call.cloud === 'huawei') return ctsWithoutRequest(event, String(params.agency_id));
  if (call.cloud === 'tencent') return eventList([apiCallWithoutParameters(event)]);
  return event;
}

function documentedAuditEvent(call: CallRecord): unknown | undefined {
  if (!AUDITED[call.cloud]?.includes(call.action) || call.account === '') return undefined;
  const params = (call.params ?? {}) as Record<string, unknown>;
  const eventId = randomUUID();
  if (call.cloud === 'alibaba') {
    return {
      id: randomUUID(),
      source: 'acs.resourcemanager',
      specversion: '1.0',
      type: 'resourcemanager:ActionTrail:ApiCall',
      time: call.at,
      aliyunaccountid: call.account,
      data: {
        eventId,
        eventName: call.action,
        eventRW: 'Write',
        eventType: 'ApiCall',
        serviceName: 'ResourceManager',
        requestId: call.requestId,
        userIdentity: { accountId: call.account, accessKeyId: call.accessKeyId, type: 'ram-user' },
        requestParameters: params,
        ...(call.code ? { errorCode: call.code, errorMessage: 'the call failed' } : {}),
      },
    };
  }
  if (call.cloud === 'tencent') {
    return {
      specversion: '1.0',
      id: randomUUID(),
      source: 'organization.cloud.tencent',
      type: 'organization:CloudEvent:ApiCall',
      time: Date.parse(call.at),
      data: {
        eventID: eventId,
        requestID: call.requestId,
        eventType: 'ApiCall',
        actionType: 'Write',
        eventName: call.action,
        eventSource: 'organization.tencentcloudapi.com',
        errorCode: call.code ? 1 : 0,
        ...(call.code ? { apiErrorCode: call.code } : {}),
        userIdentity: { accountId: call.account, secretId: call.accessKeyId },
        requestParameters: JSON.stringify(params),
      },
    };
  }
  return {
    cts: {
      time: Date.parse(call.at),
      user: { name: call.accessKeyId, domain: { id: call.account } },
      request: JSON.stringify({ agency_id: params.agency_id }),
      code: String(call.httpStatus),
      service_type: 'IAM',
      resource_type: 'policy',
      resource_id: params.policy_id,
      trace_name: 'attachAgencyPolicyV5',
      trace_type: 'ApiCall',
      trace_rating: call.code ? 'warning' : 'normal',
      trace_id: eventId,
      request_id: call.requestId,
      api_version: 'v5',
      resource_url: `/v5/policies/${String(params.policy_id)}/attach-agency`,
    },
  };
}

/** One queue batch in the format of the cloud's queue trigger. */
export function queueBatchEvent(cloud: string, batch: readonly QueuedMessage[]): unknown {
  if (cloud === 'alibaba') {
    // MNS through EventBridge in event-stream mode: an array of CloudEvents.
    return batch.map((m) => ({
      id: randomUUID(),
      source: 'MNS-remediate-queue',
      specversion: '1.0',
      type: 'mns:Queue:SendMessage',
      datacontenttype: 'application/json; charset=utf-8',
      time: new Date().toISOString(),
      data: { requestId: randomUUID(), messageId: m.messageId, messageBody: m.body },
    }));
  }
  if (cloud === 'tencent') {
    return {
      Records: batch.map((m) => ({
        CMQ: {
          type: 'topic',
          topicOwner: 100000000001,
          topicName: 'remediate-queue',
          subscriptionName: 'queue-cleanup',
          publishTime: new Date().toISOString(),
          msgId: m.messageId,
          requestId: randomUUID(),
          msgBody: m.body,
          msgTag: '',
        },
      })),
    };
  }
  // DMS for Kafka messages carry no id of their own; the parser derives one from the content.
  return {
    event_version: 'v1.0',
    event_time: Math.floor(Date.now() / 1000),
    trigger_type: 'KAFKA',
    region: 'local',
    records: [
      { messages: batch.map((m) => m.body), instance_id: 'local-kafka', topic_id: 'remediate-queue' },
    ],
  };
}

/** The FC 3.0 HTTP trigger event for a request received by the local HTTP server. */
export function fcHttpEvent(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string,
): unknown {
  return {
    version: 'v1',
    rawPath: path,
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
    headers,
    queryParameters: {},
    requestContext: {
      accountId: '1234567890123456',
      domainName: 'localhost',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      time: new Date().toISOString(),
      timeEpoch: String(Date.now()),
    },
  };
}

// ---- the shapes real deliveries take (issue 12, points 1–4), built from the events above ----------------

type Json = Record<string, unknown>;

/**
 * A CTS trace as the only real CTS trigger delivery shows it (test/fixtures/events/real/huawei/
 * cts-trigger-otc-createFunction.json): empty `request`/`response`, no `resource_url`, `endpoint` or
 * `request_id`, `code` 0, and IAM's resource type for attachAgencyPolicyV5, `agency`, with the agency in
 * `resource_id` (IAM "operations recorded by CTS").
 */
export function ctsWithoutRequest(event: unknown, agency: string): unknown {
  const { resource_url, endpoint, request_id, ...cts } = (event as { cts: Json }).cts;
  return {
    cts: {
      ...cts,
      request: {},
      response: {},
      code: 0,
      resource_type: 'agency',
      resource_id: agency,
      resource_name: agency,
    },
  };
}

/**
 * A CloudAudit ApiCall record with `requestParameters: ""`, the resource only in `resources` / `resourceName`
 * (test/fixtures/events/real/tencent/cloudaudit-record-StopInstances-ApiCall-2021.json). How Organization
 * writes its resources there is not documented: `node/<id>` / `member/<uin>` is our assumption (composite).
 */
export function apiCallWithoutParameters(event: unknown): unknown {
  const e = structuredClone(event) as { type: string; data: Json };
  const params = JSON.parse(String(e.data.requestParameters)) as Json;
  const kind = params.TargetType === 'MEMBER' ? 'member' : 'node';
  const resource = `${kind}/${String(params.TargetId)}`;
  e.type = 'organization:CloudEvent:ApiCall';
  e.data.eventType = 'ApiCall';
  e.data.requestParameters = '';
  e.data.resources = JSON.stringify([
    `qcs::organization::uin/${String((e.data.userIdentity as Json)?.accountId)}:${resource}`,
  ]);
  e.data.resourceName = resource;
  return e;
}

/** Tencent EventBridge with batch delivery on hands the function `{"EventList": [...]}` (EventBridge SCF target page). */
export const eventList = (events: readonly unknown[]): unknown => ({ EventList: [...events] });

/** An ActionTrail record of the Tag service's own AttachPolicy (tag policies), which we must leave alone. */
export function tagAttachPolicy(account: string): unknown {
  return {
    id: randomUUID(),
    source: 'acs.tag',
    specversion: '1.0',
    type: 'tag:ActionTrail:ApiCall',
    time: new Date().toISOString(),
    aliyunaccountid: account,
    data: {
      eventId: randomUUID(),
      eventName: 'AttachPolicy',
      eventRW: 'Write',
      eventType: 'ApiCall',
      serviceName: 'Tag',
      eventSource: 'tag.aliyuncs.com',
      userIdentity: { accountId: account, type: 'ram-user' },
      requestParameters: { PolicyId: 'p-tagpolicy0001', TargetId: account, TargetType: 'ACCOUNT' },
    },
  };
}

/** An ActionTrail record of RAM's own AttachPolicyToUser: an account-wide grant naming the user without alias. */
export function ramAttachPolicyToUser(
  account: string,
  userName: string,
  policyName: string,
  policyType = 'System',
): unknown {
  return {
    id: randomUUID(),
    source: 'acs.ram',
    specversion: '1.0',
    type: 'ram:ActionTrail:ApiCall',
    time: new Date().toISOString(),
    aliyunaccountid: account,
    data: {
      eventId: randomUUID(),
      eventName: 'AttachPolicyToUser',
      eventRW: 'Write',
      eventType: 'ApiCall',
      serviceName: 'Ram',
      eventSource: 'ram.aliyuncs.com',
      apiVersion: '2015-05-01',
      userIdentity: { accountId: account, type: 'ram-user' },
      requestParameters: { PolicyType: policyType, PolicyName: policyName, UserName: userName },
    },
  };
}
