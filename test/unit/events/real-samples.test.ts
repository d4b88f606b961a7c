import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { handleMessages } from '../../../functions/queue-cleanup';
import { EMPTY_RULES } from '../../../shared/config/rules';
import { Engine } from '../../../shared/engine/engine';
import { parseAlibabaAudit } from '../../../shared/events/alibaba/actiontrail';
import { parseAlibabaQueue } from '../../../shared/events/alibaba/mns';
import { parseHuaweiAudit } from '../../../shared/events/huawei/cts';
import { parseHuaweiQueue } from '../../../shared/events/huawei/queue';
import { parseTencentAudit } from '../../../shared/events/tencent/cloudaudit';
import { parseTencentQueue } from '../../../shared/events/tencent/queue';
import type { AuditParse, QueueMessage } from '../../../shared/events/types';
import { ALL_CLOUDS } from '../../../shared/providers/all';
import { MemoryStore } from '../../../shared/state/memory';
import { SANDBOX_CREDENTIALS } from '../../helpers/engine';
import { fixture } from './helpers';

/**
 * Issue 12: every real vendor sample (test/fixtures/events/real, sources in its README.md) through the parser
 * of its trigger and on through the queue function's message handling or the audit function's triage.
 * None of these samples is an attach call of ours or a request body: the audit function must ignore them
 * without any call, and the queue function must dead-letter each message, once, as not a request.
 */

const FIXTURES = [
  'real/alibaba/actiontrail-record-ram-CreateGroup-cli.json',
  'real/alibaba/mns-eventbridge-e2e-2022-07-22-base64.json',
  'real/alibaba/mns-eventbridge-e2e-2022-07-25-base64.json',
  'real/alibaba/mns-eventbridge-e2e-2022-08-09.json',
  'real/alibaba/mns-queue-trigger-batch-doc.json',
  'real/huawei/cts-trigger-otc-createFunction.json',
  'real/huawei/dms4kafka-otc.json',
  'real/huawei/dms4rocketmq-otc.json',
  'real/huawei/smn-two-records-otc.json',
  'real/tencent/ckafka-scf-go-lib-test.json',
  'real/tencent/cloudaudit-record-CreateAuditTrack-2023.json',
  'real/tencent/cloudaudit-record-LookUpEvents-2021.json',
  'real/tencent/cloudaudit-record-StopInstances-ApiCall-2021.json',
  'real/tencent/cmq-topic-scf-go-lib-test.json',
  'real/tencent/eb-GetPlatformEventTemplate-tccli.json',
  'real/tencent/org-DetachPolicy-tccli.json',
  'real/tencent/org-ListPoliciesForTarget-tccli.json',
  'real/tencent/org-ListTargetsForPolicy-tccli.json',
];

type Case =
  | { audit: (event: unknown) => AuditParse[]; ignored: RegExp; event?: (sample: unknown) => unknown }
  | { queue: (event: unknown) => QueueMessage[]; ids: string[]; hint: RegExp };

/** A bare audit record, wrapped in the EventBridge envelope that delivers it. */
const envelope = (type: string) => (data: unknown) => ({ id: 'env-1', type, data });
const NOT_JSON = /^body: is not valid JSON$/;

const CASES: Record<string, Case> = {
  'real/alibaba/actiontrail-record-ram-CreateGroup-cli.json': {
    audit: parseAlibabaAudit,
    event: envelope('ram:ActionTrail:ApiCall'),
    ignored: /event "CreateGroup" of service "Ram" is not an attach call we undo/,
  },
  'real/alibaba/mns-eventbridge-e2e-2022-07-22-base64.json': {
    queue: parseAlibabaQueue,
    ids: ['2C5424F2807661357FC66xxxxxx'],
    hint: NOT_JSON,
  },
  'real/alibaba/mns-eventbridge-e2e-2022-07-25-base64.json': {
    queue: parseAlibabaQueue,
    ids: ['2C5424F280767FBA7FFB7FE44Axxxxxx'],
    hint: NOT_JSON,
  },
  'real/alibaba/mns-eventbridge-e2e-2022-08-09.json': {
    queue: parseAlibabaQueue,
    ids: ['AC1A0123461A42A579932D9C********'],
    hint: NOT_JSON,
  },
  // Two events carrying the same message id: one order, settled once.
  'real/alibaba/mns-queue-trigger-batch-doc.json': {
    queue: parseAlibabaQueue,
    ids: ['C6DB60D1574661357FA227277445****', 'C6DB60D1574661357FA227277445****'],
    hint: NOT_JSON,
  },
  'real/huawei/cts-trigger-otc-createFunction.json': {
    audit: parseHuaweiAudit,
    ignored: /trace "createFunction" is not an attach call we undo/,
  },
  'real/huawei/dms4kafka-otc.json': {
    queue: parseHuaweiQueue,
    ids: [0, 1, 2, 3, 4].map(() => expect.stringMatching(/^topic-test:[0-9a-f]{64}:0$/) as unknown as string),
    hint: NOT_JSON,
  },
  'real/huawei/dms4rocketmq-otc.json': {
    queue: parseHuaweiQueue,
    ids: [0, 1, 2, 3, 4].map(() => expect.stringMatching(/^topic:[0-9a-f]{64}:0$/) as unknown as string),
    hint: NOT_JSON,
  },
  'real/huawei/smn-two-records-otc.json': {
    queue: parseHuaweiQueue,
    ids: ['a51671f77d4a479cacb09e2cd591a983', 'a51671f77d4a479cacb09e2cd591a983'],
    hint: NOT_JSON,
  },
  'real/tencent/ckafka-scf-go-lib-test.json': {
    queue: parseTencentQueue,
    ids: ['ritchiechen-ckafka-test:0:7'],
    hint: NOT_JSON,
  },
  'real/tencent/cloudaudit-record-CreateAuditTrack-2023.json': {
    audit: parseTencentAudit,
    ignored: /event "CreateAuditTrack" of "cloudaudit" is not an attach call we undo/,
  },
  'real/tencent/cloudaudit-record-LookUpEvents-2021.json': {
    audit: parseTencentAudit,
    ignored: /^read call$/,
  },
  'real/tencent/cloudaudit-record-StopInstances-ApiCall-2021.json': {
    audit: parseTencentAudit,
    ignored: /event "StopInstances" of "cvm" is not an attach call we undo/,
  },
  'real/tencent/cmq-topic-scf-go-lib-test.json': {
    queue: parseTencentQueue,
    ids: ['13510798882111490'],
    hint: NOT_JSON,
  },
  // The platform event template, as EventBridge would deliver it: not a CloudAudit call.
  'real/tencent/eb-GetPlatformEventTemplate-tccli.json': {
    audit: parseTencentAudit,
    event: (sample) => JSON.parse((sample as { Response: { EventTemplate: string } }).Response.EventTemplate),
    ignored: /type "network:ErrorEvent:PublicNetworkAlarm" is not a CloudAudit API call/,
  },
  // API answers, not events: an audit function ignores them, a queue function dead-letters them as no batch.
  'real/tencent/org-DetachPolicy-tccli.json': {
    audit: parseTencentAudit,
    ignored: /not an EventBridge CloudEvent/,
  },
  'real/tencent/org-ListPoliciesForTarget-tccli.json': {
    queue: parseTencentQueue,
    ids: [expect.stringMatching(/^invalid:event:/) as unknown as string],
    hint: /^Records: /,
  },
  'real/tencent/org-ListTargetsForPolicy-tccli.json': {
    audit: parseTencentAudit,
    ignored: /not an EventBridge CloudEvent/,
  },
};

/** No call is expected: every sample is dry-run or refused before the cloud is reached. */
const NOWHERE = { credentials: SANDBOX_CREDENTIALS, endpoint: 'http://127.0.0.1:9', timeoutMs: 1_000 };

function engine(): Engine {
  return new Engine({
    clouds: ALL_CLOUDS,
    store: new MemoryStore(),
    rules: EMPTY_RULES,
    logger: pino({ level: 'silent' }),
    dryRun: false,
  });
}

describe('real vendor samples', () => {
  it('has a case for every sample', () => {
    expect(Object.keys(CASES).sort()).toEqual([...FIXTURES].sort());
  });

  it.each(FIXTURES)('%s', async (name) => {
    const sample = fixture(name);
    const test = CASES[name] as Case;
    if ('audit' in test) {
      const parses = test.audit(test.event ? test.event(sample) : sample);
      expect(parses).toHaveLength(1);
      expect(parses[0]).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(test.ignored) });
      return;
    }
    const messages = test.queue(sample);
    expect(messages.map((m) => m.messageId)).toEqual(test.ids);
    const e = engine();
    const outcomes = await handleMessages(e, messages, Date.now() + 5_000, NOWHERE);
    expect(outcomes).toHaveLength(messages.length);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'invalid-input', attempts: 0 });
      expect(outcome.hint).toMatch(test.hint);
    }
    // Delivered again: the same outcomes from the store, no second dead letter.
    const again = await handleMessages(e, messages, Date.now() + 5_000, NOWHERE);
    expect(again.every((o) => o.duplicate)).toBe(true);
  });
});
