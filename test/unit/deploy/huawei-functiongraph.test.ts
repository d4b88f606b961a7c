// infra/huawei/functiongraph.yml: the Huawei deployment, and the terraform module that applies it.
import { describe, expect, it } from 'vitest';
import { generatedPolicies } from '../../../scripts/permissions';
import {
  assertEnvironmentReadable,
  bundlePath,
  FUNCTIONS,
  type FunctionName,
  HANDLERS,
  knownEnvironmentVariables,
  readText,
  readYaml,
  SAMPLE_VALUES,
} from './helpers';

interface Fn {
  func_name: string;
  runtime: string;
  handler: string;
  code: string;
  code_type: string;
  memory_size: number;
  timeout: number;
  xrole: string;
  app_xrole: string;
  user_data?: Record<string, string>;
  encrypted_user_data?: Record<string, string>;
  triggers: { trigger_type_code: string; event_data: Record<string, unknown> }[];
  async_invoke_config?: {
    max_async_retry_attempts: number;
    max_async_event_age_in_seconds: number;
    destination_config: { on_failure?: { destination: string; param: Record<string, unknown> } };
  };
}
interface Descriptor {
  agencies: Record<
    'execution' | 'platform',
    { name: string; delegated_service: string; policies?: string[] }
  >;
  functions: Record<string, Fn>;
}

const descriptor = readYaml<Descriptor>('infra/huawei/functiongraph.yml');
const terraform = readText('infra/terraform/huaweicloud/main.tf');
const variables = readText('infra/terraform/huaweicloud/variables.tf');

function fn(name: FunctionName): Fn {
  const found = Object.values(descriptor.functions).filter((f) => f.code === bundlePath('huawei', name));
  expect(found, `one function deploys ${bundlePath('huawei', name)}`).toHaveLength(1);
  return found[0] as Fn;
}

const triggerTypes = (name: FunctionName) => fn(name).triggers.map((t) => t.trigger_type_code);

/** The literal value of `key = "…"` in the terraform module (first occurrence). */
function tfString(key: string, source = terraform): string | undefined {
  return new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, 'm').exec(source)?.[1];
}

describe('infra/huawei/functiongraph.yml (FunctionGraph)', () => {
  it.each(FUNCTIONS)('deploys the %s bundle with the contract handler on Node.js 20', (name) => {
    const f = fn(name);
    expect(f.handler).toBe(HANDLERS.huawei);
    expect(f.runtime).toMatch(/^Node\.js20\./);
    expect(f.code_type).toBe('zip');
    expect(f.func_name).toBe(`remediate-${name}`);
  });

  it.each(FUNCTIONS)('gives %s only environment variables the project reads, all valid', (name) => {
    const f = fn(name);
    const env = { ...f.user_data, ...f.encrypted_user_data };
    const known = knownEnvironmentVariables();
    for (const key of Object.keys(env)) expect(known, `${key} is read by the project`).toContain(key);
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['REMEDIATE_STATE', 'REMEDIATE_RULES', 'LOG_LEVEL']),
    );
    expect('REMEDIATE_HTTP_SECRET' in env).toBe(name === 'http-invoke');
    // Secrets live in encrypted_user_data only.
    expect(f.encrypted_user_data).toHaveProperty('REMEDIATE_STATE');
    expect(f.user_data ?? {}).not.toHaveProperty('REMEDIATE_STATE');
    expect(f.user_data ?? {}).not.toHaveProperty('REMEDIATE_HTTP_SECRET');
    const sample = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, v.includes('${') ? (SAMPLE_VALUES[k] ?? 'x') : v]),
    );
    expect(() => assertEnvironmentReadable(sample)).not.toThrow();
  });

  it('runs the code with an agency holding only the generated IAM v5 policy', () => {
    expect(descriptor.agencies.execution.delegated_service).toBe('op_svc_cff');
    expect(descriptor.agencies.execution.policies).toEqual([
      `../terraform/huaweicloud/generated/${generatedPolicies().huawei.file.split('/').pop()}`,
    ]);
    for (const name of FUNCTIONS) {
      expect(fn(name).app_xrole).toBe(descriptor.agencies.execution.name);
      expect(fn(name).xrole).toBe(descriptor.agencies.platform.name);
    }
  });

  it('has the CTS, SMN and API gateway triggers', () => {
    expect(triggerTypes('audit-log')).toEqual(['CTS']);
    expect(triggerTypes('queue-cleanup')).toEqual(['SMN']);
    expect(triggerTypes('http-invoke')).toEqual(['DEDICATEDGATEWAY']);
    const cts = fn('audit-log').triggers[0]?.event_data as { operations: string[] };
    expect(cts.operations).toEqual(['IAM:agency:attachAgencyPolicyV5']);
    const http = fn('http-invoke').triggers[0]?.event_data as Record<string, unknown>;
    expect(http).toMatchObject({ auth: 'NONE', req_method: 'POST', invocation_type: 'sync' });
  });

  it.each(['audit-log', 'queue-cleanup'] as const)(
    'sends failed asynchronous %s events to a destination',
    (name) => {
      const async = fn(name).async_invoke_config;
      expect(async?.max_async_retry_attempts).toBeGreaterThanOrEqual(1);
      expect(async?.max_async_retry_attempts).toBeLessThanOrEqual(3);
      expect(async?.destination_config.on_failure?.destination).toBe('OBS');
      expect(async?.destination_config.on_failure?.param.prefix).toBe(`${name}/`);
    },
  );

  it('is what the terraform module applies', () => {
    const f = fn('audit-log');
    expect(tfString('runtime')).toBe(f.runtime);
    expect(tfString('handler')).toBe(f.handler);
    expect(tfString('code_type')).toBe(f.code_type);
    expect(terraform).toMatch(new RegExp(`memory_size\\s+= ${f.memory_size}\\n`));
    expect(terraform).toMatch(new RegExp(`\\btimeout\\s+= ${f.timeout}\\n`));
    expect(terraform).toMatch(/name\s+= "\$\{var\.name_prefix\}-fgs-execution"/);
    expect(terraform).toMatch(/name\s+= "\$\{var\.name_prefix\}-fgs-platform"/);
    expect(terraform).toMatch(/delegated_service_name = "op_svc_cff"/);
    expect(descriptor.agencies.execution.name).toBe('remediate-fgs-execution');
    expect(/variable "name_prefix"[\s\S]*?default\s+= "([^"]+)"/.exec(variables)?.[1]).toBe('remediate');
    // Triggers, async settings and destination.
    for (const type of ['CTS', 'SMN']) expect(terraform).toMatch(new RegExp(`\\btype\\s+= "${type}"`));
    const operations = /cts_operations\s+= (\[.*\])/.exec(terraform)?.[1];
    const cts = f.triggers[0]?.event_data as { operations: string[] } | undefined;
    expect(JSON.parse(operations ?? '[]')).toEqual(cts?.operations);
    expect(terraform).toMatch(
      /resource "huaweicloud_apig_api" "http_invoke"[\s\S]*?security_authentication = "NONE"/,
    );
    expect(terraform).toMatch(/resource "huaweicloud_fgs_async_invoke_configuration" "this"/);
    expect(terraform).toContain('destination = "OBS"');
    expect(/variable "max_async_retry_attempts"[\s\S]*?default\s+= (\d+)/.exec(variables)?.[1]).toBe(
      String(f.async_invoke_config?.max_async_retry_attempts),
    );
    // Environment: the same names, secrets encrypted.
    for (const key of Object.keys(f.user_data ?? {}))
      expect(terraform).toMatch(new RegExp(`^\\s+${key}\\s+=`, 'm'));
    expect(terraform).toMatch(/secrets = \{[\s\S]*?REMEDIATE_STATE = local\.redis_url/);
  });
});
