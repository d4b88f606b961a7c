// infra/terraform/{alicloud,tencentcloud,huaweicloud}: what can be checked without the providers
// (terraform validate needs them, and they are not available offline).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedPolicies } from '../../../scripts/permissions';
import {
  bundlePath,
  CLOUDS,
  type Cloud,
  FUNCTIONS,
  HANDLERS,
  knownEnvironmentVariables,
  ROOT,
  readText,
  readYaml,
  TERRAFORM_DIRS,
} from './helpers';

/**
 * Every resource and data source type the modules use, with the provider documentation page its arguments
 * were checked against (website/docs/r|d of aliyun/terraform-provider-alicloud and
 * tencentcloudstack/terraform-provider-tencentcloud, docs/resources|data-sources of
 * huaweicloud/terraform-provider-huaweicloud). A new type must be checked the same way before it is added.
 */
const VERIFIED_TYPES: Readonly<Record<Cloud, readonly string[]>> = {
  alibaba: [
    'alicloud_account', // d/account
    'alicloud_message_service_queue', // r/message_service_queue (dlq_policy since 1.244.0)
    'alicloud_kvstore_instance', // r/kvstore_instance
    'alicloud_ram_role', // r/ram_role (role_name, assume_role_policy_document since 1.252.0)
    'alicloud_ram_policy', // r/ram_policy
    'alicloud_ram_role_policy_attachment', // r/ram_role_policy_attachment
    'alicloud_event_bridge_service_linked_role', // r/event_bridge_service_linked_role
    'alicloud_fcv3_function', // r/fcv3_function
    'alicloud_fcv3_trigger', // r/fcv3_trigger
    'alicloud_fcv3_async_invoke_config', // r/fcv3_async_invoke_config
  ],
  tencent: [
    'tencentcloud_user_info', // d/user_info
    'tencentcloud_eb_bus', // d/eb_bus
    'tencentcloud_tcmq_queue', // r/tcmq_queue
    'tencentcloud_tcmq_topic', // r/tcmq_topic
    'tencentcloud_redis_instance', // r/redis_instance
    'tencentcloud_cam_role', // r/cam_role
    'tencentcloud_cam_policy', // r/cam_policy
    'tencentcloud_cam_role_policy_attachment', // r/cam_role_policy_attachment
    'tencentcloud_scf_function', // r/scf_function (triggers: cmq, http)
    'tencentcloud_eb_event_rule', // r/eb_event_rule
    'tencentcloud_eb_event_target', // r/eb_event_target
    'tencentcloud_scf_function_event_invoke_config', // r/scf_function_event_invoke_config
  ],
  huawei: [
    'huaweicloud_smn_topic', // resources/smn_topic
    'huaweicloud_obs_bucket', // resources/obs_bucket
    'huaweicloud_dcs_flavors', // data-sources/dcs_flavors
    'huaweicloud_dcs_instance', // resources/dcs_instance
    'huaweicloud_cts_tracker', // resources/cts_tracker
    'huaweicloud_identity_agency', // resources/identity_agency
    'huaweicloud_identityv5_policy', // resources/identityv5_policy
    'huaweicloud_identityv5_policy_agency_attach', // resources/identityv5_policy_agency_attach (1.95.0)
    'huaweicloud_fgs_function', // resources/fgs_function
    'huaweicloud_fgs_function_trigger', // resources/fgs_function_trigger (CTS, SMN)
    'huaweicloud_apig_group', // resources/apig_group
    'huaweicloud_apig_environment', // resources/apig_environment
    'huaweicloud_apig_api', // resources/apig_api (func_graph backend)
    'huaweicloud_apig_api_publishment', // resources/apig_api_publishment
    'huaweicloud_fgs_async_invoke_configuration', // resources/fgs_async_invoke_configuration
  ],
};
const COMMON_TYPES = ['archive_file', 'random_password', 'random_id'];

const PROVIDER_SOURCES: Readonly<Record<Cloud, string>> = {
  alibaba: 'aliyun/alicloud',
  tencent: 'tencentcloudstack/tencentcloud',
  huawei: 'huaweicloud/huaweicloud',
};

const module = (cloud: Cloud) => {
  const dir = TERRAFORM_DIRS[cloud];
  const file = (name: string) => readText(`${dir}/${name}`);
  return {
    dir,
    file,
    main: file('main.tf'),
    all: ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf'].map(file),
  };
};

/** `key = value` as terraform fmt aligns it (any run of spaces before the `=`). */
const assignment = (key: string, value: string) =>
  new RegExp(`^\\s*${key}\\s+= ${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm');

/**
 * The bracket pairs of the HCL code outside comments and strings (string interpolations `${…}` count as
 * code, so nested quotes inside them are handled): a balanced file gives equal counts.
 */
function bracketCounts(hcl: string): Record<string, number> {
  const counts: Record<string, number> = { '{': 0, '}': 0, '[': 0, ']': 0, '(': 0, ')': 0 };
  // A stack of contexts: 'code' (with its own brace depth) or 'string'.
  const stack: { kind: 'code' | 'string'; depth: number }[] = [{ kind: 'code', depth: 0 }];
  for (let i = 0; i < hcl.length; i++) {
    const c = hcl[i] as string;
    const top = stack[stack.length - 1] as { kind: 'code' | 'string'; depth: number };
    if (top.kind === 'string') {
      if (c === '\\') i++;
      else if (c === '"') stack.pop();
      else if (c === '$' && hcl[i + 1] === '{') {
        stack.push({ kind: 'code', depth: 0 });
        i++;
      }
      continue;
    }
    if (c === '#' || (c === '/' && hcl[i + 1] === '/')) {
      while (i < hcl.length && hcl[i] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      stack.push({ kind: 'string', depth: 0 });
      continue;
    }
    if (c === '}' && top.depth === 0 && stack.length > 1) {
      stack.pop(); // the end of an interpolation
      continue;
    }
    if (c in counts) counts[c] = (counts[c] as number) + 1;
    if (c === '{') top.depth++;
    if (c === '}') top.depth--;
  }
  expect(stack, 'every string and interpolation is closed').toHaveLength(1);
  return counts;
}

const terraformBinary = (() => {
  const found = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  return found.status === 0;
})();

describe.each(CLOUDS)('the %s terraform module', (cloud) => {
  const m = module(cloud);

  it('has main, variables, outputs and versions, with the provider from its registry namespace', () => {
    for (const name of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf']) {
      expect(existsSync(join(ROOT, m.dir, name)), name).toBe(true);
    }
    expect(m.file('versions.tf')).toContain(`source = "${PROVIDER_SOURCES[cloud]}"`);
  });

  it('has balanced blocks', () => {
    for (const text of m.all) {
      const counts = bracketCounts(text);
      expect(counts['{'], 'braces').toBe(counts['}']);
      expect(counts['['], 'brackets').toBe(counts[']']);
      expect(counts['('], 'parentheses').toBe(counts[')']);
    }
  });

  // `terraform fmt` parses HCL without the providers; `terraform validate` would need them (not offline).
  it.skipIf(!terraformBinary)('parses and is formatted (terraform fmt -check)', () => {
    const result = spawnSync('terraform', ['fmt', '-check', '-recursive', '-no-color'], {
      cwd: join(ROOT, m.dir),
      encoding: 'utf8',
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
  });

  it('uses only resource types whose arguments were checked against the provider docs', () => {
    const used = [...m.main.matchAll(/^(?:resource|data)\s+"([a-z0-9_]+)"/gm)].map((match) => match[1]);
    for (const type of used) expect([...VERIFIED_TYPES[cloud], ...COMMON_TYPES]).toContain(type);
  });

  it.each(FUNCTIONS)('deploys the built %s bundle', (fn) => {
    expect(m.main).toContain(`/../../../${bundlePath(cloud, fn)}"`);
  });

  it('uses the contract handler', () => {
    expect(m.main).toMatch(assignment('handler', `"${HANDLERS[cloud]}"`));
  });

  it('gives the least-privilege role the generated policy document', () => {
    const file = generatedPolicies()[cloud].file.slice(`${m.dir}/`.length);
    expect(m.main).toContain(`file("\${path.module}/${file}")`);
  });

  it('sets only environment variables the project reads', () => {
    const known = knownEnvironmentVariables();
    const names = [...m.main.matchAll(/(?:^|[{,])\s*([A-Z][A-Z0-9_]+)\s+=/gm)].map(
      (match) => match[1] as string,
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(known, name).toContain(name);
    expect(names).toEqual(expect.arrayContaining(['REMEDIATE_STATE', 'REMEDIATE_RULES', 'LOG_LEVEL']));
    expect(names).toContain('REMEDIATE_HTTP_SECRET');
  });

  it('creates a managed Redis for REMEDIATE_STATE and queues with a dead-letter path', () => {
    expect(m.main).toMatch(/redis_url = "redis:\/\/:\$\{urlencode\(random_password\.redis\.result\)\}@/);
    expect(m.main).toMatch(/REMEDIATE_STATE\s+= local\.redis_url/);
    expect(m.main).toMatch(/dead.letter/i);
  });
});

describe('the terraform modules and the descriptors agree', () => {
  it('Alibaba: names, runtime and triggers of serverless.yml', () => {
    const main = readText('infra/terraform/alicloud/main.tf');
    const spec = readYaml<{
      resources: Record<string, { props: { runtime: string; functionName: string } }>;
    }>('serverless.yml');
    for (const { props } of Object.values(spec.resources)) {
      expect(main).toMatch(assignment('runtime', `"${props.runtime}"`));
      expect(props.functionName).toMatch(/^\$\{vars\.prefix\}-/);
    }
    expect(main).toMatch(/requests_queue\s+= "\$\{var\.name_prefix\}-requests"/);
    expect(main).toMatch(/dead_letter\s+= "\$\{var\.name_prefix\}-dead-letter"/);
    expect(main).toContain('event-patterns/actiontrail-attach.json');
    expect(main).toMatch(/trigger_type\s+= "http"[\s\S]*?authType\s+= "anonymous"/);
    expect(main).toMatch(/resource "alicloud_fcv3_async_invoke_config"[\s\S]*?on_failure/);
  });

  it('Tencent: runtime of the scf instances', () => {
    const main = readText('infra/terraform/tencentcloud/main.tf');
    const runtime = readYaml<{ inputs: { runtime: string } }>('infra/tencent/audit-log/serverless.yml').inputs
      .runtime;
    expect(main).toMatch(assignment('runtime', `"${runtime}"`));
    expect(main).toContain('event-patterns/cloudaudit-attach.json');
  });
});
