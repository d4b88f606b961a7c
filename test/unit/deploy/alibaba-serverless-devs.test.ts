// serverless.yml: the Alibaba deployment for Serverless Devs (FC 3.0, component fc3).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventMatches } from './event-pattern';
import {
  assertEnvironmentReadable,
  bundlePath,
  FC3_SCHEMA_PATH,
  FUNCTIONS,
  type FunctionName,
  firstExisting,
  HANDLERS,
  knownEnvironmentVariables,
  readText,
  readYaml,
  SAMPLE_VALUES,
  schemaErrors,
  unsupportedKeywords,
} from './helpers';

interface Trigger {
  triggerName: string;
  triggerType: string;
  qualifier?: string;
  triggerConfig: Record<string, unknown> & {
    eventRuleFilterPattern?: string;
    eventSourceConfig?: {
      eventSourceType: string;
      eventSourceParameters?: { sourceMNSParameters?: { QueueName: string } };
    };
    runOptions?: { mode: string; deadLetterQueue?: { Arn: string } };
    authType?: string;
    methods?: string[];
  };
}
interface Props {
  region: string;
  functionName: string;
  runtime: string;
  code: string;
  handler: string;
  role?: string;
  timeout?: number;
  memorySize?: number;
  environmentVariables?: Record<string, string>;
  asyncInvokeConfig?: {
    maxAsyncRetryAttempts?: number;
    maxAsyncEventAgeInSeconds?: number;
    destinationConfig?: { onFailure?: { destination: string } };
  };
  triggers?: Trigger[];
}
interface Spec {
  edition: string;
  name: string;
  vars?: Record<string, string>;
  resources: Record<string, { component: string; props: Props }>;
}

const spec = readYaml<Spec>('serverless.yml');

// Serverless Devs resolves ${vars.x}, ${env('NAME', 'default')} and ${config('AccountID')} before deploying;
// the tests resolve them with sample values to check what the component will receive.
const ACCOUNT_ID = '1234567890123456';
function resolve<T>(value: T, vars: Record<string, string> = {}): T {
  if (typeof value === 'string') {
    return value
      .replace(/\$\{env\('([A-Z0-9_]+)'(?:,\s*'([^']*)')?\)\}/g, (_, name: string, fallback?: string) => {
        return SAMPLE_VALUES[name] ?? fallback ?? `sample-${name.toLowerCase()}`;
      })
      .replace(/\$\{config\('AccountID'\)\}/g, ACCOUNT_ID)
      .replace(/\$\{vars\.([A-Za-z0-9_]+)\}/g, (_, name: string) => {
        const resolved = vars[name];
        if (resolved === undefined) throw new Error(`undefined variable vars.${name}`);
        return resolved;
      }) as T;
  }
  if (Array.isArray(value)) return value.map((item) => resolve(item, vars)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, vars)])) as T;
  }
  return value;
}
const vars = resolve(spec.vars ?? {});
const resolved = resolve(spec, vars);

function functionProps(fn: FunctionName): Props {
  const matches = Object.values(resolved.resources).filter(
    (resource) => resource.props.code.replace(/^\.\//, '') === bundlePath('alibaba', fn),
  );
  expect(matches, `one resource deploys ${bundlePath('alibaba', fn)}`).toHaveLength(1);
  return (matches[0] as { props: Props }).props;
}

function trigger(fn: FunctionName, type: string): Trigger {
  const found = (functionProps(fn).triggers ?? []).filter((t) => t.triggerType === type);
  expect(found, `${fn} has a ${type} trigger`).toHaveLength(1);
  return found[0] as Trigger;
}

function fixture(cloud: string, name: string): Record<string, unknown> | undefined {
  const path = firstExisting([
    `test/fixtures/events/${cloud}/${name}`,
    `../shared/fixtures/events/${cloud}/${name}`,
  ]);
  return path === undefined ? undefined : (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>);
}

describe('serverless.yml (Serverless Devs, FC 3.0)', () => {
  it('is a Serverless Devs 3 project of fc3 resources only', () => {
    expect(spec.edition).toBe('3.0.0');
    expect(Object.keys(spec.resources)).toHaveLength(FUNCTIONS.length);
    for (const resource of Object.values(spec.resources)) expect(resource.component).toBe('fc3');
  });

  it.each(FUNCTIONS)('deploys the %s bundle with the contract handler on nodejs20', (fn) => {
    const props = functionProps(fn);
    expect(props.handler).toBe(HANDLERS.alibaba);
    expect(props.runtime).toBe('nodejs20');
    expect(props.functionName).toBe(`remediate-${fn}`);
    expect(props.role, 'the least-privilege role').toBeTruthy();
    expect(props.timeout).toBeGreaterThanOrEqual(30);
  });

  it.each(FUNCTIONS)('gives %s only environment variables the project reads, all valid', (fn) => {
    const raw = Object.values(spec.resources).find((r) => r.props.code.endsWith(bundlePath('alibaba', fn)));
    const env = functionProps(fn).environmentVariables ?? {};
    const known = knownEnvironmentVariables();
    for (const name of Object.keys(env)) expect(known, `${name} is read by the project`).toContain(name);
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['REMEDIATE_STATE', 'REMEDIATE_RULES', 'LOG_LEVEL']),
    );
    expect('REMEDIATE_HTTP_SECRET' in env).toBe(fn === 'http-invoke');
    // The shared Redis store comes from the deployer's variable, never a default file path.
    expect(raw?.props.environmentVariables?.REMEDIATE_STATE).toMatch(/^\$\{env\('REMEDIATE_STATE'\)\}$/);
    expect(env.REMEDIATE_STATE).toMatch(/^rediss?:\/\//);
    expect(env.REMEDIATE_RULES).toMatch(/^\/code\//);
    expect(() => assertEnvironmentReadable(env)).not.toThrow();
  });

  it('routes Resource Manager and RAM attach events (API and console) to audit-log, and nothing else', () => {
    const config = trigger('audit-log', 'eventbridge').triggerConfig;
    expect(config.eventSourceConfig?.eventSourceType).toBe('Default');
    expect(config.asyncInvocationType, 'asynchronous, so FC retries and dead-letters').toBe(true);
    const pattern = JSON.parse(config.eventRuleFilterPattern ?? '') as {
      source: string[];
      type: string[];
      data: { eventName: string[] };
    };
    // The product is named twice: in `source` (acs.<product>) and in `type` (<product>:ActionTrail:<kind>).
    expect([...pattern.source].sort()).toEqual(['acs.ram', 'acs.resourcemanager']);
    expect([...pattern.type].sort()).toEqual([
      'ram:ActionTrail:ApiCall',
      'ram:ActionTrail:ConsoleOperation',
      'resourcemanager:ActionTrail:ApiCall',
      'resourcemanager:ActionTrail:ConsoleOperation',
    ]);
    expect([...pattern.data.eventName].sort()).toEqual([
      'AttachControlPolicy',
      'AttachPolicy',
      'AttachPolicyToGroup',
      'AttachPolicyToRole',
      'AttachPolicyToUser',
    ]);
    // The terraform module uses the very same pattern.
    expect(pattern).toEqual(
      JSON.parse(readText('infra/terraform/alicloud/event-patterns/actiontrail-attach.json')),
    );
  });

  it("keeps another service's AttachPolicy (the Tag service's) and RAM reads out", () => {
    const pattern = JSON.parse(
      trigger('audit-log', 'eventbridge').triggerConfig.eventRuleFilterPattern ?? '',
    ) as Record<string, unknown>;
    const attach = fixture('alibaba', 'eventbridge-actiontrail-attachpolicy.composite.json');
    if (!attach) return; // the fixtures are copied by another task
    const tag = {
      ...attach,
      source: 'acs.tag',
      type: 'tag:ActionTrail:ApiCall',
      data: { ...(attach.data as object), serviceName: 'Tag', eventName: 'AttachPolicy' },
    };
    expect(eventMatches(pattern, tag)).toBe(false);
    const ram = (eventName: string) => ({
      ...attach,
      source: 'acs.ram',
      type: 'ram:ActionTrail:ApiCall',
      data: { ...(attach.data as object), serviceName: 'Ram', eventName },
    });
    expect(eventMatches(pattern, ram('AttachPolicyToUser'))).toBe(true);
    expect(eventMatches(pattern, ram('ListPoliciesForUser'))).toBe(false);
  });

  it('lets the attach fixture events through the ActionTrail pattern and keeps the others out', () => {
    const pattern = JSON.parse(
      trigger('audit-log', 'eventbridge').triggerConfig.eventRuleFilterPattern ?? '',
    ) as Record<string, unknown>;
    const attach = fixture('alibaba', 'eventbridge-actiontrail-attachpolicy.composite.json');
    const control = fixture('alibaba', 'eventbridge-actiontrail-attachcontrolpolicy.composite.json');
    const other = fixture('alibaba', 'eventbridge-actiontrail-ecs-deletedisk.vendor.json');
    if (!attach || !control || !other) return; // the fixtures are copied by another task
    expect(eventMatches(pattern, attach)).toBe(true);
    expect(eventMatches(pattern, control)).toBe(true);
    expect(eventMatches(pattern, other)).toBe(false);
  });

  it('dead-letters audit-log events after the asynchronous retries', () => {
    const async = functionProps('audit-log').asyncInvokeConfig;
    expect(async?.maxAsyncRetryAttempts).toBeGreaterThanOrEqual(1);
    expect(async?.maxAsyncRetryAttempts).toBeLessThanOrEqual(8);
    expect(async?.destinationConfig?.onFailure?.destination).toBe(
      `acs:mns:cn-hangzhou:${ACCOUNT_ID}:/queues/remediate-dead-letter/messages`,
    );
  });

  it('feeds queue-cleanup from the MNS queue through an event stream with a dead-letter queue', () => {
    const config = trigger('queue-cleanup', 'eventbridge').triggerConfig;
    expect(config.eventSourceConfig?.eventSourceType).toBe('MNS');
    expect(config.eventSourceConfig?.eventSourceParameters?.sourceMNSParameters?.QueueName).toBe(
      'remediate-requests',
    );
    expect(config.runOptions?.mode).toBe('event-streaming');
    expect(config.runOptions?.deadLetterQueue?.Arn).toBe(
      `acs:mns:cn-hangzhou:${ACCOUNT_ID}:/queues/remediate-dead-letter`,
    );
  });

  it('exposes http-invoke over an anonymous POST trigger (the HMAC signature authenticates)', () => {
    const config = trigger('http-invoke', 'http').triggerConfig;
    expect(config.authType).toBe('anonymous');
    expect(config.methods).toEqual(['POST']);
    expect(
      functionProps('http-invoke').asyncInvokeConfig,
      'synchronous: the caller gets the answer',
    ).toBeUndefined();
  });

  // The fc3 component validates props against its JSON schema (devsapp/fc3 src/schema.json, with ajv). CI has the
  // vendored copy beside the clone (../shared/reference/vendor/fc3-schema.json); FC3_SCHEMA points elsewhere.
  const schemaPath = firstExisting([process.env.FC3_SCHEMA, FC3_SCHEMA_PATH]);
  it.runIf(schemaPath !== undefined)('validates every resource against the fc3 props schema', () => {
    const schema = JSON.parse(readFileSync(schemaPath as string, 'utf8')) as Record<string, unknown>;
    // The checker in ./helpers must understand every keyword the vendor schema uses, or it would pass silently.
    expect(unsupportedKeywords(schema)).toEqual([]);
    for (const [name, resource] of Object.entries(resolved.resources)) {
      expect(schemaErrors(schema, resource.props), name).toEqual([]);
    }
    // And it fails what the component refuses: a wrong runtime, a missing trigger config member.
    const props = (resolved.resources.auditLog as { props: Props }).props;
    expect(schemaErrors(schema, { ...props, runtime: 'nodejs99' })).not.toEqual([]);
    const [first] = props.triggers ?? [];
    expect(schemaErrors(schema, { ...props, triggers: [{ ...first, triggerType: 'bogus' }] })).not.toEqual(
      [],
    );
  });

  it('satisfies the fc3 schema rules that matter, without the schema file', () => {
    for (const { props } of Object.values(resolved.resources)) {
      for (const key of ['region', 'functionName', 'runtime', 'code', 'handler'] as const) {
        expect(props[key], key).toBeTruthy();
      }
      expect(props.memorySize ?? 512).toSatisfy((m: number) => m % 64 === 0 && m >= 128);
      for (const t of props.triggers ?? []) {
        expect([
          'eventbridge',
          'http',
          'timer',
          'oss',
          'log',
          'mns_topic',
          'cdn_events',
          'tablestore',
        ]).toContain(t.triggerType);
        if (t.triggerType === 'eventbridge') {
          for (const key of [
            'triggerEnable',
            'asyncInvocationType',
            'eventRuleFilterPattern',
            'eventSourceConfig',
            'eventSinkConfig',
            'runOptions',
          ]) {
            expect(t.triggerConfig, `${t.triggerName}.${key}`).toHaveProperty(key);
          }
          expect(t.triggerConfig.eventSourceConfig).toHaveProperty('eventSourceParameters');
        }
      }
    }
  });
});
