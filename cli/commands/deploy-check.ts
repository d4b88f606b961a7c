// `remediate deploy check`: verifies offline that the built bundles, the deploy descriptors (serverless.yml,
// infra/tencent, infra/huawei, infra/terraform) and the rules file agree - handlers, environment variables,
// bundle paths, function names, the rules file each bundle carries, the generated least-privilege policies - and
// prints what each cloud will create. Exit 1 on any mismatch, so it can gate a deployment pipeline.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { generatedPolicies } from '../../scripts/permissions';
import { CREDENTIAL_VARIABLES } from '../../shared/config/environment';
import { parseRules } from '../../shared/config/load-rules';
import { PROVIDERS, type Provider } from '../../shared/requests';
import { EXIT, UsageError } from '../errors';

const FUNCTIONS = ['audit-log', 'queue-cleanup', 'http-invoke'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

/**
 * The variables the functions read (docs/ARCHITECTURE.md, Functions and deployment;
 * shared/config/environment.ts) besides the credentials.
 */
export const FUNCTION_VARIABLES = [
  'REMEDIATE_ALIBABA_ENDPOINT',
  'REMEDIATE_TENCENT_ENDPOINT',
  'REMEDIATE_HUAWEI_ENDPOINT',
  'REMEDIATE_STATE',
  'REMEDIATE_RULES',
  'REMEDIATE_DRY_RUN',
  'REMEDIATE_HTTP_SECRET',
  'REMEDIATE_HTTP_SINGLE_INSTANCE',
  'REMEDIATE_DEADLINE_MS',
  'LOG_LEVEL',
] as const;

/** What each cloud's bundles export and where each platform unpacks the code package. */
const PLATFORM: Readonly<Record<Provider, { handler: string; codeRoot: string; terraform: string }>> = {
  alibaba: { handler: 'handler', codeRoot: '/code/', terraform: 'infra/terraform/alicloud' },
  tencent: { handler: 'main_handler', codeRoot: '/var/user/', terraform: 'infra/terraform/tencentcloud' },
  huawei: { handler: 'handler', codeRoot: '/opt/function/code/', terraform: 'infra/terraform/huaweicloud' },
};

/** One deployed function as a descriptor describes it, with the values the check compares. */
interface Described {
  cloud: Provider;
  fn: FunctionName;
  file: string;
  name: string | undefined;
  handler: string | undefined;
  code: string | undefined;
  env: Record<string, string>;
  triggers: string[];
  onFailure: string | undefined;
}

export interface DeployCheck {
  /** Every mismatch found, each naming the file and what disagrees. */
  problems: string[];
  /** Things worth knowing that are not mismatches (e.g. the bundles are not built yet). */
  notes: string[];
  /** What each cloud will create. */
  plan: Record<Provider, string[]>;
}

const bundleDir = (cloud: Provider, fn: FunctionName) => `dist/${cloud}/${fn}`;

/** `${env('NAME', 'default')}`, `${env:NAME}` and `${vars.x}` resolved to their defaults, or left as they are. */
function defaults(value: unknown, vars: Record<string, string> = {}): string {
  return String(value ?? '')
    .replace(/\$\{env\('[A-Z0-9_]+',\s*'([^']*)'\)\}/g, '$1')
    .replace(/\$\{vars\.([A-Za-z0-9_]+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** `source` and event names of an EventBridge pattern, for the plan: "acs.ram|acs.resourcemanager AttachPolicy…". */
function describePattern(json: string): string {
  const pattern = JSON.parse(json) as { source?: string[]; data?: { eventName?: string[] } };
  return `${(pattern.source ?? []).join('|')} ${(pattern.data?.eventName ?? []).join(', ')}`.trim();
}

function readYaml(root: string, path: string): Record<string, unknown> {
  return parse(readFileSync(join(root, path), 'utf8')) as Record<string, unknown>;
}

function alibabaFunctions(root: string): Described[] {
  const spec = readYaml(root, 'serverless.yml') as {
    vars?: Record<string, string>;
    resources?: Record<string, { props: Record<string, unknown> }>;
  };
  const vars = Object.fromEntries(Object.entries(spec.vars ?? {}).map(([k, v]) => [k, defaults(v)]));
  return Object.values(spec.resources ?? {}).flatMap(({ props }) => {
    const code = defaults(props.code, vars).replace(/^\.\//, '');
    const fn = FUNCTIONS.find((f) => code === bundleDir('alibaba', f));
    if (fn === undefined) return [];
    const env = props.environmentVariables as Record<string, string> | undefined;
    const triggers =
      (props.triggers as { triggerType: string; triggerConfig?: Record<string, unknown> }[]) ?? [];
    const async = props.asyncInvokeConfig as { destinationConfig?: { onFailure?: { destination?: string } } };
    return [
      {
        cloud: 'alibaba' as const,
        fn,
        file: 'serverless.yml',
        name: defaults(props.functionName, vars),
        handler: defaults(props.handler),
        code,
        env: Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, defaults(v, vars)])),
        triggers: triggers.map((t) => {
          const source = (t.triggerConfig?.eventSourceConfig as { eventSourceType?: string } | undefined)
            ?.eventSourceType;
          const pattern = t.triggerConfig?.eventRuleFilterPattern;
          if (source === 'Default' && typeof pattern === 'string')
            return `EventBridge ${describePattern(pattern)}`;
          return source === 'MNS'
            ? 'MNS queue (EventBridge event stream)'
            : source
              ? `EventBridge (${source} bus)`
              : t.triggerType;
        }),
        onFailure:
          defaults(
            async?.destinationConfig?.onFailure?.destination ??
              triggers
                .map((t) => t.triggerConfig?.runOptions as { deadLetterQueue?: { Arn?: string } } | undefined)
                .find((r) => r?.deadLetterQueue?.Arn)?.deadLetterQueue?.Arn,
            vars,
          ).replace(/\$\{config\('AccountID'\)\}/g, '<account>') || undefined,
      },
    ];
  });
}

function cloudAuditPattern(root: string): string {
  const path = join(root, 'infra/terraform/tencentcloud/event-patterns/cloudaudit-attach.json');
  return existsSync(path) ? readFileSync(path, 'utf8') : '{}';
}

function tencentFunctions(root: string): Described[] {
  const dir = join(root, 'infra/tencent');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'serverless.yml')))
    .flatMap((entry) => {
      const file = `infra/tencent/${entry.name}/serverless.yml`;
      const spec = readYaml(root, file) as { component?: string; inputs?: Record<string, unknown> };
      const inputs = spec.inputs ?? {};
      const src = typeof inputs.src === 'object' ? (inputs.src as { src: string }).src : String(inputs.src);
      const code = relative(root, resolve(root, 'infra/tencent', entry.name, src));
      const fn = FUNCTIONS.find((f) => code === bundleDir('tencent', f));
      if (spec.component !== 'scf' || fn === undefined) return [];
      const env = (inputs.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {};
      const events = (inputs.events as Record<string, unknown>[] | undefined) ?? [];
      const deadLetter = inputs.deadLetter as { type?: string; name?: string } | undefined;
      return [
        {
          cloud: 'tencent' as const,
          fn,
          file,
          name: String(inputs.name),
          handler: String(inputs.handler),
          code,
          env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
          triggers:
            fn === 'audit-log' && events.length === 0
              ? [`EventBridge rule (terraform) ${describePattern(cloudAuditPattern(root))}`]
              : events.flatMap((e) => Object.keys(e)),
          onFailure: deadLetter ? `CMQ queue ${deadLetter.name}` : undefined,
        },
      ];
    });
}

function huaweiFunctions(root: string): Described[] {
  const file = 'infra/huawei/functiongraph.yml';
  const spec = readYaml(root, file) as { functions?: Record<string, Record<string, unknown>> };
  return Object.values(spec.functions ?? {}).flatMap((f) => {
    const code = String(f.code);
    const fn = FUNCTIONS.find((x) => code === bundleDir('huawei', x));
    if (fn === undefined) return [];
    const env = { ...(f.user_data as object), ...(f.encrypted_user_data as object) } as Record<
      string,
      string
    >;
    const triggers =
      (f.triggers as { trigger_type_code: string; event_data?: { operations?: string[] } }[] | undefined) ??
      [];
    const async = f.async_invoke_config as
      | { destination_config?: { on_failure?: { destination?: string; param?: { prefix?: string } } } }
      | undefined;
    const onFailure = async?.destination_config?.on_failure;
    return [
      {
        cloud: 'huawei' as const,
        fn,
        file,
        name: String(f.func_name),
        handler: String(f.handler),
        code,
        env,
        triggers: triggers.map((t) =>
          t.event_data?.operations
            ? `${t.trigger_type_code} ${t.event_data.operations.join(', ')}`
            : t.trigger_type_code,
        ),
        onFailure: onFailure
          ? `${onFailure.destination} bucket, under ${onFailure.param?.prefix ?? ''}`
          : undefined,
      },
    ];
  });
}

/** The default of a terraform variable (`variable "x" { … default = "…" }`), if it has one. */
function terraformDefault(variables: string, name: string): string | undefined {
  const body = new RegExp(`variable "${name}" \\{([\\s\\S]*?)\\n\\}`).exec(variables)?.[1] ?? '';
  return /^\s*default\s*=\s*"([^"]*)"/m.exec(body)?.[1];
}

/** Whether a built bundle exports the handler (esbuild's CommonJS export block: `{handler:()=>x});module.exports=`). */
function exportsHandler(bundle: string, handler: string): boolean {
  return new RegExp(
    `[{,]\\s*${handler}:\\s*\\(\\)\\s*=>\\s*[\\w$]+\\s*\\}\\);\\s*module\\.exports\\s*=`,
  ).test(bundle);
}

export function checkDeployment(
  root: string,
  rulesFile?: string,
  clouds: readonly Provider[] = PROVIDERS,
): DeployCheck {
  const problems: string[] = [];
  const notes: string[] = [];
  const plan: Record<Provider, string[]> = { alibaba: [], tencent: [], huawei: [] };
  const known = new Set<string>(FUNCTION_VARIABLES);
  for (const c of Object.values(CREDENTIAL_VARIABLES)) known.add(c.id).add(c.secret).add(c.token);

  // The rules file the bundles should carry.
  const rulesPath = rulesFile ? resolve(rulesFile) : join(root, 'rules.yaml');
  let rulesText: string | undefined;
  if (existsSync(rulesPath)) {
    rulesText = readFileSync(rulesPath, 'utf8');
    try {
      const rules = parseRules(rulesText, relative(root, rulesPath) || rulesPath);
      notes.push(
        `rules: ${relative(process.cwd(), rulesPath) || rulesPath} is valid (${rules.rules.length} rules)`,
      );
    } catch (error) {
      problems.push((error as Error).message);
    }
  } else if (rulesFile) {
    problems.push(`rules file ${rulesFile} does not exist`);
  } else {
    notes.push('rules: no rules.yaml at the repository root (start from rules.example.yaml)');
  }

  const built = existsSync(join(root, 'dist'));
  if (!built) notes.push('bundles: dist/ is not built (npm run build), so the bundles were not checked');

  const described: Record<Provider, Described[]> = {
    alibaba: alibabaFunctions(root),
    tencent: tencentFunctions(root),
    huawei: huaweiFunctions(root),
  };
  const policies = generatedPolicies();

  for (const cloud of clouds) {
    const { handler, codeRoot, terraform } = PLATFORM[cloud];
    const main = readFileSync(join(root, terraform, 'main.tf'), 'utf8');
    const variables = readFileSync(join(root, terraform, 'variables.tf'), 'utf8');
    const prefix = terraformDefault(variables, 'name_prefix') ?? 'remediate';
    const rulesDefault = terraformDefault(variables, 'rules_path');

    for (const fn of FUNCTIONS) {
      const matches = described[cloud].filter((d) => d.fn === fn);
      const where = `${cloud} ${fn}`;
      if (matches.length !== 1) {
        problems.push(
          `${where}: ${matches.length} descriptor entries deploy ${bundleDir(cloud, fn)} (expected 1)`,
        );
        continue;
      }
      const d = matches[0] as Described;
      if (d.handler !== `index.${handler}`)
        problems.push(`${where} (${d.file}): handler ${d.handler}, expected index.${handler}`);
      if (d.name !== `${prefix}-${fn}`)
        problems.push(`${where} (${d.file}): function name ${d.name}, terraform names it ${prefix}-${fn}`);
      if (!main.includes(`/../../../${bundleDir(cloud, fn)}"`))
        problems.push(`${where}: ${terraform}/main.tf does not deploy ${bundleDir(cloud, fn)}`);
      for (const name of Object.keys(d.env)) {
        if (!known.has(name))
          problems.push(`${where} (${d.file}): environment variable ${name} is read by nothing`);
      }
      for (const name of ['REMEDIATE_STATE', 'REMEDIATE_RULES']) {
        if (!(name in d.env)) problems.push(`${where} (${d.file}): ${name} is not set`);
      }
      if ('REMEDIATE_HTTP_SECRET' in d.env !== (fn === 'http-invoke')) {
        problems.push(`${where} (${d.file}): REMEDIATE_HTTP_SECRET belongs to http-invoke only`);
      }
      const rulesInPackage = d.env.REMEDIATE_RULES ?? '';
      if (!rulesInPackage.startsWith(codeRoot)) {
        problems.push(
          `${where} (${d.file}): REMEDIATE_RULES ${rulesInPackage} is outside the code package (${codeRoot})`,
        );
      } else if (rulesDefault !== undefined && rulesDefault !== rulesInPackage) {
        problems.push(
          `${where}: REMEDIATE_RULES is ${rulesInPackage} in ${d.file} but ${rulesDefault} in ${terraform}`,
        );
      }
      if (built) {
        const index = join(root, bundleDir(cloud, fn), 'index.js');
        if (!existsSync(index))
          problems.push(`${where}: ${bundleDir(cloud, fn)}/index.js is missing (npm run build)`);
        else if (!exportsHandler(readFileSync(index, 'utf8'), handler)) {
          problems.push(`${where}: ${bundleDir(cloud, fn)}/index.js does not export ${handler}`);
        }
        const inBundle = join(root, bundleDir(cloud, fn), rulesInPackage.slice(codeRoot.length));
        if (!existsSync(inBundle)) {
          problems.push(
            `${where}: ${relative(root, inBundle)} is missing, and the function refuses to start without it`,
          );
        } else if (rulesText !== undefined && readFileSync(inBundle, 'utf8') !== rulesText) {
          problems.push(
            `${where}: ${relative(root, inBundle)} differs from ${relative(root, rulesPath) || rulesPath}`,
          );
        }
      }
      const failure = d.onFailure ? `; failures → ${d.onFailure}` : '';
      plan[cloud].push(
        `function ${d.name}  ← ${d.triggers.join(', ') || 'EventBridge rule (terraform)'}${failure}`,
      );
    }

    const policy = policies[cloud];
    const committed = existsSync(join(root, policy.file))
      ? readFileSync(join(root, policy.file), 'utf8')
      : '';
    if (committed !== policy.text)
      problems.push(`${cloud}: ${policy.file} is not current: run npm run permissions`);
    plan[cloud].push(`least-privilege policy (${policy.file}): ${policy.actions.join(', ')}`);
  }
  return { problems, notes, plan };
}

/** The checkout this CLI belongs to: the descriptors live beside it. */
const REPOSITORY = resolve(__dirname, '..', '..');

export function registerDeployCheck(program: Command): void {
  const deploy = program.command('deploy').description('deployment helpers (offline)');
  deploy
    .command('check')
    .description('check offline that the bundles, the deploy descriptors and the rules file agree')
    .option('--rules <file>', 'the rules file the bundles must carry (default: rules.yaml in the repository)')
    .option('--cloud <cloud>', `check one cloud only: ${PROVIDERS.join(', ')}`)
    .option('--dir <dir>', 'the repository to check (default: this checkout)', REPOSITORY)
    .option('--json', 'print { problems, notes, plan } as one JSON line')
    .action((options: { rules?: string; cloud?: string; dir: string; json?: boolean }) => {
      const cloud = options.cloud;
      if (cloud !== undefined && !(PROVIDERS as readonly string[]).includes(cloud)) {
        throw new UsageError(`--cloud: must be one of ${PROVIDERS.join(', ')}, got '${cloud}'`);
      }
      const clouds = cloud === undefined ? PROVIDERS : [cloud as Provider];
      const result = checkDeployment(resolve(options.dir), options.rules, clouds);
      if (options.json) {
        console.log(JSON.stringify(result));
      } else {
        for (const c of clouds) {
          console.log(`${c} will get:`);
          for (const line of result.plan[c]) console.log(`  ${line}`);
        }
        for (const note of result.notes) console.log(`note: ${note}`);
        for (const problem of result.problems) console.error(`mismatch: ${problem}`);
        console.log(
          result.problems.length === 0
            ? 'deploy check: the bundles, descriptors and rules agree'
            : `deploy check: ${result.problems.length} mismatch${result.problems.length === 1 ? '' : 'es'}`,
        );
      }
      if (result.problems.length > 0) process.exitCode = EXIT.failed;
    });
}
