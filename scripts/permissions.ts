// Generates the least-privilege policy documents of the three clouds from the permissions each provider
// operation declares in code (`permissions` on every export in shared/providers/<cloud>/): `npm run permissions`.
// The terraform modules read the files it writes; test/unit/deploy checks that the committed files are current.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ALL_OPERATIONS } from '../shared/providers/all';
import { PROVIDERS, type Provider } from '../shared/requests';

/** Where each cloud's generated document lives, relative to the repository root. */
export const POLICY_FILES: Readonly<Record<Provider, string>> = {
  alibaba: 'infra/terraform/alicloud/generated/ram-policy.json',
  tencent: 'infra/terraform/tencentcloud/generated/cam-policy.json',
  huawei: 'infra/terraform/huaweicloud/generated/iam-policy.json',
};

export interface GeneratedPolicy {
  /** Repository-relative path of the file the terraform module reads. */
  file: string;
  /** The sorted, de-duplicated actions the cloud's operations declare. */
  actions: string[];
  /** The policy document, in the cloud's own grammar. */
  document: unknown;
  /** The exact file content: JSON laid out as the project's formatter (biome) leaves it. */
  text: string;
}

// `service:Action` (Alibaba RAM, Tencent CAM) or `service:resource:action` (Huawei IAM v5), and never a
// wildcard: a `*` would silently widen the role beyond what the code calls.
const ACTION = /^[a-z][a-z0-9-]*(:[A-Za-z][A-Za-z0-9]*){1,2}$/;

/** The declared permissions of every operation, grouped by cloud, sorted and unique. */
export function permissionsByCloud(): Record<Provider, string[]> {
  const byCloud: Record<Provider, Set<string>> = {
    alibaba: new Set(),
    tencent: new Set(),
    huawei: new Set(),
  };
  for (const [name, operation] of Object.entries(ALL_OPERATIONS)) {
    const cloud = name.slice(0, name.indexOf('/')) as Provider;
    if (!PROVIDERS.includes(cloud)) throw new Error(`operation ${name}: unknown cloud ${cloud}`);
    if (operation.permissions.length === 0) throw new Error(`operation ${name} declares no permissions`);
    for (const permission of operation.permissions) {
      if (!ACTION.test(permission)) {
        throw new Error(`operation ${name}: permission ${JSON.stringify(permission)} is not a single action`);
      }
      byCloud[cloud].add(permission);
    }
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    alibaba: sorted(byCloud.alibaba),
    tencent: sorted(byCloud.tencent),
    huawei: sorted(byCloud.huawei),
  };
}

function documentFor(cloud: Provider, actions: string[]): unknown {
  switch (cloud) {
    case 'alibaba': // RAM policy language, version 1
      return { Version: '1', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] };
    case 'tencent': // CAM policy syntax, version 2.0 (terraform wants arrays, never scalars)
      return { version: '2.0', statement: [{ effect: 'allow', action: actions, resource: ['*'] }] };
    case 'huawei': // IAM v5 identity policy
      return { Version: '5.0', Statement: [{ Effect: 'Allow', Action: actions, Resource: ['*'] }] };
  }
}

const LINE_WIDTH = 110; // biome.json formatter.lineWidth

/**
 * JSON as biome prints it, so `npm run check` accepts the generated files: objects one member a line,
 * an array of scalars on one line when it fits the line width, else one element a line.
 */
export function formatJson(value: unknown, indent = 0, prefix = 0, suffix = 0): string {
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const scalars = value.every((item) => item === null || typeof item !== 'object');
    const inline = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    if (scalars && indent + prefix + inline.length + suffix <= LINE_WIDTH) return inline;
    const items = value.map((item, i) => pad + formatJson(item, indent + 2, 0, i < value.length - 1 ? 1 : 0));
    return `[\n${items.join(',\n')}\n${' '.repeat(indent)}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const members = entries.map(([key, member], i) => {
      const name = `${JSON.stringify(key)}: `;
      return pad + name + formatJson(member, indent + 2, name.length, i < entries.length - 1 ? 1 : 0);
    });
    return `{\n${members.join(',\n')}\n${' '.repeat(indent)}}`;
  }
  return JSON.stringify(value);
}

/** The three generated documents: what `npm run permissions` writes and what the deploy tests compare. */
export function generatedPolicies(): Record<Provider, GeneratedPolicy> {
  const permissions = permissionsByCloud();
  const policy = (cloud: Provider): GeneratedPolicy => {
    const document = documentFor(cloud, permissions[cloud]);
    return {
      file: POLICY_FILES[cloud],
      actions: permissions[cloud],
      document,
      text: `${formatJson(document)}\n`,
    };
  };
  return { alibaba: policy('alibaba'), tencent: policy('tencent'), huawei: policy('huawei') };
}

function main(): void {
  const root = join(__dirname, '..');
  for (const [cloud, policy] of Object.entries(generatedPolicies())) {
    const path = join(root, policy.file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, policy.text);
    console.log(`${cloud}: ${policy.actions.length} actions → ${policy.file}`);
  }
}

if (require.main === module) main();
