// The descriptors and terraform modules checked against lists taken from the vendors' own sources
// (test/fixtures/vendor, each with its source and version; docs/sources.md "Deploy descriptors"): a wrong runtime,
// trigger type, CTS operation or argument name fails here before it fails a deploy.
import { describe, expect, it } from 'vitest';
import { type Block, blocks } from './hcl';
import { FUNCTIONS, filesUnder, readText, readYaml, TERRAFORM_DIRS } from './helpers';

interface TerraformList {
  provider: string;
  commit: string;
  types: Record<string, { doc: string; arguments: string[]; internal?: Record<string, string> }>;
}
const vendor = <T>(name: string) => JSON.parse(readText(`test/fixtures/vendor/${name}`)) as T;
const tencent = vendor<{
  runtimes: string[];
  terraformTriggerTypes: string[];
  componentEvents: string[];
}>('tencent-scf.json');
const huawei = vendor<{
  runtimes: string[];
  triggerTypes: string[];
  ctsIamOperations: string[];
  dcsPasswordSpecials: string;
}>('huawei-functiongraph.json');

const MODULES = {
  alicloud: TERRAFORM_DIRS.alibaba,
  tencentcloud: TERRAFORM_DIRS.tencent,
  huaweicloud: TERRAFORM_DIRS.huawei,
} as const;
// The hashicorp utility providers are not the vendors': their three types are checked by name only.
const UTILITY_TYPES = ['archive_file', 'random_password', 'random_id'];

const moduleBlocks = (dir: string) => blocks(readText(`${dir}/main.tf`));
const block = (dir: string, type: string, name: string): Block => {
  const found = moduleBlocks(dir).find((b) => b.type === type && b.name === name);
  expect(found, `${type}.${name} in ${dir}`).toBeDefined();
  return found as Block;
};
/** The string literal of `key = "…"` inside a block. */
const literal = (b: Block, key: string) => new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, 'm').exec(b.body)?.[1];

describe.each(Object.entries(MODULES))('the %s module against its provider', (provider, dir) => {
  const list = vendor<TerraformList>(`terraform-${provider}.json`);

  it('uses only resource and data types the provider documents', () => {
    for (const b of moduleBlocks(dir)) {
      if (UTILITY_TYPES.includes(b.type)) continue;
      expect(Object.keys(list.types), `${b.kind} ${b.type} (${list.provider} ${list.commit})`).toContain(
        `${b.kind}.${b.type}`,
      );
    }
  });

  it('uses only argument and block names the provider documents for each type', () => {
    for (const b of moduleBlocks(dir)) {
      const type = list.types[`${b.kind}.${b.type}`];
      if (type === undefined) continue; // a utility type (checked above)
      const known = new Set([...type.arguments, ...Object.keys(type.internal ?? {})]);
      for (const name of b.names)
        expect(known.has(name), `${b.type}.${b.name}: ${name} (${type.doc})`).toBe(true);
    }
  });
});

describe('Huawei: FunctionGraph runtime, triggers and CTS operations', () => {
  const descriptor = readYaml<{
    functions: Record<
      string,
      { runtime: string; triggers: { trigger_type_code: string; event_data: { operations?: string[] } }[] }
    >;
  }>('infra/huawei/functiongraph.yml');
  const dir = MODULES.huaweicloud;
  const main = readText(`${dir}/main.tf`);

  it('runs on a runtime FunctionGraph documents, the same in terraform', () => {
    for (const fn of Object.values(descriptor.functions)) expect(huawei.runtimes).toContain(fn.runtime);
    expect(huawei.runtimes).toContain(literal(block(dir, 'huaweicloud_fgs_function', 'this'), 'runtime'));
  });

  it('uses trigger types FunctionGraph has', () => {
    for (const fn of Object.values(descriptor.functions)) {
      for (const t of fn.triggers) expect(huawei.triggerTypes).toContain(t.trigger_type_code);
    }
    for (const b of moduleBlocks(dir).filter((x) => x.type === 'huaweicloud_fgs_function_trigger')) {
      expect(huawei.triggerTypes).toContain(literal(b, 'type'));
    }
  });

  it('subscribes the CTS trigger to IAM:agency:attachAgencyPolicyV5, an operation CTS records', () => {
    const operations = JSON.parse(/cts_operations\s+= (\[.*\])/.exec(main)?.[1] ?? '[]') as string[];
    expect(operations).toEqual(['IAM:agency:attachAgencyPolicyV5']);
    const cts = descriptor.functions['audit-log']?.triggers.find((t) => t.trigger_type_code === 'CTS');
    expect(cts?.event_data.operations).toEqual(operations);
    for (const operation of operations) expect(huawei.ctsIamOperations).toContain(operation);
  });

  it('trusts FunctionGraph with the argument the provider reads back (no change on every plan)', () => {
    for (const name of ['execution', 'platform']) {
      const agency = block(dir, 'huaweicloud_identity_agency', name);
      expect(literal(agency, 'delegated_service_name')).toBe('op_svc_cff');
      expect(agency.names).not.toContain('delegated_domain_name');
    }
  });

  it('generates a DCS password only from characters DCS accepts', () => {
    const special = literal(block(dir, 'random_password', 'redis'), 'override_special') ?? '';
    expect(special.length).toBeGreaterThan(0);
    for (const c of special) expect(huawei.dcsPasswordSpecials, `"${c}"`).toContain(c);
    expect(special).not.toContain('%');
  });

  it('asks for the region, since only the region whose tracker records IAM sees the attach calls', () => {
    const variable = /variable "region" \{([\s\S]*?)\n\}/.exec(readText(`${dir}/variables.tf`))?.[1] ?? '';
    expect(variable).not.toMatch(/^\s*default\s*=/m);
    expect(variable).toContain('ap-southeast-1');
  });
});

describe('Tencent: SCF runtime, component events and trigger types', () => {
  const instances = filesUnder('infra/tencent', /^serverless\.ya?ml$/)
    .map((file) => readYaml<{ component?: string; inputs?: { runtime: string; events?: object[] } }>(file))
    .filter((spec) => spec.component === 'scf');
  const dir = MODULES.tencentcloud;

  it('runs on a runtime SCF documents, the same in every instance and in terraform', () => {
    expect(instances).toHaveLength(FUNCTIONS.length);
    for (const spec of instances) expect(tencent.runtimes).toContain(spec.inputs?.runtime);
    const tf = literal(block(dir, 'tencentcloud_scf_function', 'this'), 'runtime');
    expect(tencent.runtimes).toContain(tf);
    expect(new Set(instances.map((s) => s.inputs?.runtime))).toEqual(new Set([tf]));
  });

  it('uses only event kinds the scf component deploys, and trigger types the provider has', () => {
    for (const spec of instances) {
      for (const event of spec.inputs?.events ?? []) {
        for (const kind of Object.keys(event)) expect(tencent.componentEvents).toContain(kind);
      }
    }
    const triggers = /\n {2}triggers = \{([\s\S]*?)\n {2}\}/.exec(readText(`${dir}/main.tf`))?.[1] ?? '';
    const types = [...triggers.matchAll(/^\s*type\s+= "([a-z_]+)"/gm)].map((m) => m[1]);
    expect(types).toEqual(expect.arrayContaining(['cmq', 'http']));
    for (const type of types.filter((t) => t !== 'scf'))
      expect(tencent.terraformTriggerTypes).toContain(type);
  });

  it('redeploys a rebuilt bundle: the zip path the provider uploads from carries a digest of the files', () => {
    // tencentcloud_scf_function uploads the code only when the zip_file string changes.
    const archive = block(dir, 'archive_file', 'bundle');
    expect(literal(archive, 'output_path')).toMatch(/\$\{local\.bundle_hashes\[each\.key\]\}\.zip$/);
    expect(readText(`${dir}/main.tf`)).toMatch(/bundle_hashes = [\s\S]*?filesha256\(/);
    const fn = block(dir, 'tencentcloud_scf_function', 'this');
    expect(fn.body).toMatch(/zip_file\s+= data\.archive_file\.bundle\[each\.key\]\.output_path/);
  });
});

describe('Alibaba: EventBridge roles and FC 3.0 trigger configuration', () => {
  const dir = MODULES.alicloud;
  const main = readText(`${dir}/main.tf`);

  it('creates both service-linked roles fc3 creates before an eventbridge trigger', () => {
    const roles = moduleBlocks(dir)
      .filter((b) => b.type === 'alicloud_event_bridge_service_linked_role')
      .map((b) => literal(b, 'product_name'));
    expect(roles.sort()).toEqual([
      'AliyunServiceRoleForEventBridgeSendToFC',
      'AliyunServiceRoleForEventBridgeSourceMNS',
    ]);
    expect(block(dir, 'alicloud_fcv3_trigger', 'queue').body).toContain(
      'alicloud_event_bridge_service_linked_role.source_mns',
    );
  });

  it("sets only FC 3.0's DeliveryOption members (concurrency, eventSchema), in terraform and serverless.yml", () => {
    for (const match of main.matchAll(/deliveryOption = \{([^}]*)\}/g)) {
      const keys = [...(match[1] as string).matchAll(/(\w+)\s*=/g)].map((m) => m[1]);
      for (const key of keys) expect(['concurrency', 'eventSchema']).toContain(key);
    }
    const spec = readYaml<{
      resources: Record<string, { props: { triggers?: { triggerConfig: Record<string, unknown> }[] } }>;
    }>('serverless.yml');
    for (const { props } of Object.values(spec.resources)) {
      for (const t of props.triggers ?? []) {
        const option = (t.triggerConfig.eventSinkConfig as { deliveryOption?: object } | undefined)
          ?.deliveryOption;
        for (const key of Object.keys(option ?? {})) expect(['concurrency', 'eventSchema']).toContain(key);
      }
    }
  });
});
