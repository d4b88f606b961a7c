// Shared by the deploy-descriptor tests: the contract (docs/ARCHITECTURE.md, Functions and deployment), file
// readers and a small JSON-schema checker for the vendor schemas a developer may have at hand offline.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { CREDENTIAL_VARIABLES, readEnvironment } from '../../../shared/config/environment';

export const ROOT = join(__dirname, '..', '..', '..');

export const CLOUDS = ['alibaba', 'tencent', 'huawei'] as const;
export type Cloud = (typeof CLOUDS)[number];
export const FUNCTIONS = ['audit-log', 'queue-cleanup', 'http-invoke'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** The exported handler of each cloud's bundles (docs/ARCHITECTURE.md, Functions and deployment). */
export const HANDLERS: Readonly<Record<Cloud, string>> = {
  alibaba: 'index.handler',
  tencent: 'index.main_handler',
  huawei: 'index.handler',
};

export const TERRAFORM_DIRS: Readonly<Record<Cloud, string>> = {
  alibaba: 'infra/terraform/alicloud',
  tencent: 'infra/terraform/tencentcloud',
  huawei: 'infra/terraform/huaweicloud',
};

export const bundlePath = (cloud: Cloud, fn: FunctionName) => `dist/${cloud}/${fn}`;

export function readText(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

export function readYaml<T = Record<string, unknown>>(path: string): T {
  return parse(readText(path)) as T;
}

/** Files under a repository folder whose name matches, repository-relative and sorted. */
export function filesUnder(dir: string, match: RegExp): string[] {
  const found: string[] = [];
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.')) walk(path);
      } else if (match.test(entry.name)) {
        found.push(relative(ROOT, path));
      }
    }
  };
  walk(join(ROOT, dir));
  return found.sort();
}

/**
 * Every environment variable the project reads: the keys of the schema in shared/config/environment.ts
 * (read from its source, as the schema object is private) and the vendors' credential variables.
 */
export function knownEnvironmentVariables(): Set<string> {
  const source = readText('shared/config/environment.ts');
  const block = /const environmentSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(source)?.[1];
  if (!block) throw new Error('environmentSchema not found in shared/config/environment.ts');
  const names = new Set([...block.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] as string));
  for (const credentials of Object.values(CREDENTIAL_VARIABLES)) {
    names.add(credentials.id).add(credentials.secret).add(credentials.token);
  }
  return names;
}

/** Sample values for deploy-time placeholders, so a descriptor's environment can go through readEnvironment. */
export const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  REMEDIATE_STATE: 'redis://:s3cret%21@r-example.redis.rds.aliyuncs.com:6379',
  REMEDIATE_HTTP_SECRET: 'a-long-enough-shared-secret',
};

/** Checks an environment map the way the functions will at start-up. */
export function assertEnvironmentReadable(env: Record<string, string>): void {
  readEnvironment(env);
}

/** The first existing file among the candidates (absolute, or relative to the repository). */
export function firstExisting(candidates: (string | undefined)[]): string | undefined {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const path = candidate.startsWith('/') ? candidate : join(ROOT, candidate);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * The vendored fc3 props schema, relative to the repository: CI checks the clone out beside `shared/`
 * (`<repo>/../shared/reference/vendor/fc3-schema.json`).
 */
export const FC3_SCHEMA_PATH = '../shared/reference/vendor/fc3-schema.json';

// --- a JSON-schema (draft-07) checker, for the subset vendor schemas use ----------------------------------

/** The keywords schemaErrors understands (annotations it may ignore included). */
const KEYWORDS = new Set([
  '$schema',
  '$ref',
  'definitions',
  'type',
  'enum',
  'const',
  'minimum',
  'maximum',
  'multipleOf',
  'pattern',
  'minItems',
  'maxItems',
  'items',
  'required',
  'properties',
  'additionalProperties',
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'then',
  'else',
  'default',
  'description',
  'title',
  'examples',
]);

/** Keywords used anywhere in a schema that schemaErrors would not check (property names are not keywords). */
export function unsupportedKeywords(schema: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (!KEYWORDS.has(key)) found.add(key);
      if (key === 'properties' || key === 'definitions') {
        for (const member of Object.values(value as object)) walk(member);
      } else if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples') {
        walk(value);
      }
    }
  };
  walk(schema);
  return [...found].sort();
}

type Schema = Record<string, unknown> | boolean;

const typeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
};

const typeMatches = (value: unknown, type: string): boolean => {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
};

/** The violations of `value` against `schema` (empty when valid), each with its JSON pointer. */
export function schemaErrors(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
    return node as Schema;
  };
  const check = (schema: Schema, v: unknown, at: string, out: string[]): void => {
    if (schema === true) return;
    if (schema === false) {
      out.push(`${at}: not allowed`);
      return;
    }
    if (typeof schema.$ref === 'string') check(resolve(schema.$ref), v, at, out);
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => typeMatches(v, t))) {
        out.push(`${at}: must be ${types.join(' or ')}`);
        return;
      }
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
      out.push(`${at}: must be one of ${JSON.stringify(schema.enum)}`);
    }
    if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(v)) {
      out.push(`${at}: must be ${JSON.stringify(schema.const)}`);
    }
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum) out.push(`${at}: < ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && v > schema.maximum) out.push(`${at}: > ${schema.maximum}`);
      if (typeof schema.multipleOf === 'number' && v % schema.multipleOf !== 0) {
        out.push(`${at}: not a multiple of ${schema.multipleOf}`);
      }
    }
    if (typeof v === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(v)) {
      out.push(`${at}: does not match ${schema.pattern}`);
    }
    if (Array.isArray(v)) {
      if (typeof schema.minItems === 'number' && v.length < schema.minItems) out.push(`${at}: too few items`);
      if (typeof schema.maxItems === 'number' && v.length > schema.maxItems)
        out.push(`${at}: too many items`);
      if (Array.isArray(schema.items)) {
        schema.items.forEach((item, i) => {
          if (i < v.length) check(item as Schema, v[i], `${at}/${i}`, out);
        });
      } else if (schema.items !== undefined) {
        v.forEach((item, i) => {
          check(schema.items as Schema, item, `${at}/${i}`, out);
        });
      }
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const record = v as Record<string, unknown>;
      for (const key of (schema.required as string[] | undefined) ?? []) {
        if (!(key in record)) out.push(`${at}: missing ${key}`);
      }
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const [key, member] of Object.entries(record)) {
        if (key in properties) check(properties[key] as Schema, member, `${at}/${key}`, out);
        else if (schema.additionalProperties !== undefined && schema.additionalProperties !== true) {
          check(schema.additionalProperties as Schema, member, `${at}/${key}`, out);
        }
      }
    }
    const branches = (key: string) =>
      ((schema[key] as Schema[] | undefined) ?? []).map((s) => {
        const sub: string[] = [];
        check(s, v, at, sub);
        return sub;
      });
    if (schema.allOf) for (const sub of branches('allOf')) out.push(...sub);
    if (schema.anyOf) {
      const results = branches('anyOf');
      if (!results.some((r) => r.length === 0))
        out.push(`${at}: matches no anyOf branch (${results.flat()[0]})`);
    }
    if (schema.oneOf && branches('oneOf').filter((r) => r.length === 0).length !== 1) {
      out.push(`${at}: must match exactly one oneOf branch`);
    }
    if (schema.if !== undefined) {
      const sub: string[] = [];
      check(schema.if as Schema, v, at, sub);
      const next = sub.length === 0 ? schema.then : schema.else;
      if (next !== undefined) check(next as Schema, v, at, out);
    }
  };
  check(root, value, '', errors);
  return errors;
}
