// infra/tencent: the Tencent deployment, a multi-instance Serverless Framework app of `component: scf`.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventMatches } from './event-pattern';
import {
  assertEnvironmentReadable,
  bundlePath,
  FUNCTIONS,
  type FunctionName,
  filesUnder,
  firstExisting,
  HANDLERS,
  knownEnvironmentVariables,
  ROOT,
  readText,
  readYaml,
  SAMPLE_VALUES,
} from './helpers';

interface Instance {
  app?: string;
  component?: string;
  name: string;
  inputs: {
    name: string;
    namespace?: string;
    type?: string;
    src: string | { src: string };
    handler: string;
    runtime: string;
    role?: string;
    timeout?: number;
    memorySize?: number;
    environment?: { variables?: Record<string, string> };
    deadLetter?: { type: string; name: string };
    events?: Record<string, { parameters: Record<string, unknown> }>[];
  };
}

const files = filesUnder('infra/tencent', /^serverless\.ya?ml$/);
const instances = files
  .map((file) => ({ file, spec: readYaml<Instance>(file) }))
  .filter(({ spec }) => spec.component !== undefined);

/** The bundle an instance deploys, repository-relative (src is relative to the instance's folder). */
function srcOf(file: string, spec: Instance): string {
  const src = typeof spec.inputs.src === 'string' ? spec.inputs.src : spec.inputs.src.src;
  return relative(ROOT, join(ROOT, dirname(file), src));
}

function instance(fn: FunctionName): Instance {
  const found = instances.filter(({ file, spec }) => srcOf(file, spec) === bundlePath('tencent', fn));
  expect(found, `one instance deploys ${bundlePath('tencent', fn)}`).toHaveLength(1);
  return (found[0] as { spec: Instance }).spec;
}

function events(fn: FunctionName): string[] {
  return (instance(fn).inputs.events ?? []).flatMap((event) => Object.keys(event));
}

/** ${env:NAME} is the Serverless Framework's variable; the tests fill in sample values. */
function resolveEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      String(value).replace(
        /\$\{env:([A-Z0-9_]+)\}/g,
        (_, name: string) => SAMPLE_VALUES[name] ?? `sample-${name}`,
      ),
    ]),
  );
}

const terraform = readText('infra/terraform/tencentcloud/main.tf');

describe('infra/tencent (Serverless Framework, component scf)', () => {
  it('is one scf instance per function under one app', () => {
    expect(files).toContain('infra/tencent/serverless.yml');
    expect(
      readYaml<Partial<Instance>>('infra/tencent/serverless.yml').component,
      'the app root',
    ).toBeUndefined();
    expect(instances).toHaveLength(FUNCTIONS.length);
    for (const { spec } of instances) {
      expect(spec.component).toBe('scf');
      expect(spec.app).toBe('cloud-remediate');
    }
  });

  it.each(FUNCTIONS)('deploys the %s bundle with main_handler on Node.js', (fn) => {
    const { inputs, name } = instance(fn);
    expect(inputs.handler).toBe(HANDLERS.tencent);
    expect(inputs.runtime).toMatch(/^Nodejs\d+\.\d+$/); // which ones SCF has: vendor-lists.test.ts
    expect(inputs.type ?? 'event').toBe('event');
    expect(inputs.name).toBe(`remediate-${fn}`);
    expect(name).toBe(inputs.name);
    expect(inputs.role, 'the least-privilege role').toBeTruthy();
  });

  it.each(FUNCTIONS)('gives %s only environment variables the project reads, all valid', (fn) => {
    const raw = instance(fn).inputs.environment?.variables ?? {};
    const known = knownEnvironmentVariables();
    for (const name of Object.keys(raw)) expect(known, `${name} is read by the project`).toContain(name);
    expect(Object.keys(raw)).toEqual(
      expect.arrayContaining(['REMEDIATE_STATE', 'REMEDIATE_RULES', 'LOG_LEVEL']),
    );
    expect('REMEDIATE_HTTP_SECRET' in raw).toBe(fn === 'http-invoke');
    expect(raw.REMEDIATE_STATE).toMatch(/^\$\{env:REMEDIATE_STATE\}$/);
    expect(raw.REMEDIATE_RULES).toMatch(/^\/var\/user\//);
    expect(() => assertEnvironmentReadable(resolveEnv(raw))).not.toThrow();
  });

  it('sends audit-log the CloudAudit attach events through EventBridge (terraform: the component has no EB trigger)', () => {
    expect(events('audit-log')).toEqual([]);
    expect(terraform).toMatch(/resource "tencentcloud_eb_event_rule" "cloudaudit"/);
    expect(terraform).toMatch(/resource "tencentcloud_eb_event_target" "audit_log"[\s\S]*?type\s+= "scf"/);
    expect(terraform).toMatch(/function\/\$\{local\.function_names\["audit-log"\]\}\/\$DEFAULT/);
  });

  it('lets the CloudAudit attach fixture through the EventBridge pattern', () => {
    const pattern = JSON.parse(
      readText('infra/terraform/tencentcloud/event-patterns/cloudaudit-attach.json'),
    ) as Record<string, unknown>;
    const path = firstExisting([
      'test/fixtures/events/tencent/eventbridge-cloudaudit-attachpolicy.composite.json',
      '../shared/fixtures/events/tencent/eventbridge-cloudaudit-attachpolicy.composite.json',
    ]);
    if (path === undefined) return; // the fixtures are copied by another task
    const attach = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(eventMatches(pattern, attach)).toBe(true);
    expect(
      eventMatches(pattern, { ...attach, data: { ...(attach.data as object), eventName: 'DetachPolicy' } }),
    ).toBe(false);
    // Filtered by product as well as action: another product's AttachPolicy (CAM's, say) stays out.
    expect(pattern.source).toEqual(['organization.cloud.tencent']);
    const cam = { ...attach, source: 'cam.cloud.tencent', type: 'cam:CloudEvent:ApiCall' };
    expect(eventMatches(pattern, cam)).toBe(false);
  });

  it('feeds queue-cleanup from the CMQ topic', () => {
    expect(events('queue-cleanup')).toEqual(['cmq']);
    const cmq = (instance('queue-cleanup').inputs.events?.[0]?.cmq?.parameters ?? {}) as Record<
      string,
      unknown
    >;
    expect(cmq.name).toBe('remediate-requests');
    expect(cmq.enable).toBe(true);
    expect(terraform).toMatch(/requests_topic\s+= "\$\{var\.name_prefix\}-requests"/);
  });

  it('exposes http-invoke over a function URL without CAM auth (the HMAC signature authenticates)', () => {
    expect(events('http-invoke')).toEqual(['http']);
    const http = (instance('http-invoke').inputs.events?.[0]?.http?.parameters ?? {}) as Record<
      string,
      unknown
    >;
    expect(http.authType).toBe('NONE');
    expect(http.netConfig).toEqual({ enableIntranet: false, enableExtranet: true });
  });

  it.each(['audit-log', 'queue-cleanup'] as const)('dead-letters %s after the asynchronous retries', (fn) => {
    expect(instance(fn).inputs.deadLetter).toEqual({ type: 'QUEUE', name: 'remediate-dead-letter' });
    expect(terraform).toMatch(/dead_letter\s+= "\$\{var\.name_prefix\}-dead-letter"/);
    expect(terraform).toMatch(/resource "tencentcloud_scf_function_event_invoke_config" "async"/);
    expect(terraform).toMatch(/toset\(\["audit-log", "queue-cleanup"\]\)/);
  });

  it('leaves the synchronous http-invoke without a dead-letter queue', () => {
    expect(instance('http-invoke').inputs.deadLetter).toBeUndefined();
  });
});
