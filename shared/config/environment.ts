import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { LOG_LEVELS } from '../logger';
import type { Credentials } from '../providers/types';
import type { Provider } from '../requests';
import { firstIssue } from '../zod-errors';

/** An environment variable that breaks its rule: named with the rule, so a start-up fails clearly. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const endpoint = z
  .string()
  .url('must be a full URL with scheme, e.g. http://127.0.0.1:4600')
  .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://')
  .optional();

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

const logLevel = z.enum(LOG_LEVELS, {
  error: (issue) => `must be one of ${LOG_LEVELS.join(', ')} (got "${String(issue.input)}")`,
});

const environmentSchema = z.object({
  REMEDIATE_ALIBABA_ENDPOINT: endpoint,
  REMEDIATE_TENCENT_ENDPOINT: endpoint,
  REMEDIATE_HUAWEI_ENDPOINT: endpoint,
  REMEDIATE_STATE: z
    .string()
    .regex(/^(memory|sqlite:.+|rediss?:\/\/.+)$/, 'must be memory, sqlite:PATH or redis://…'),
  REMEDIATE_RULES: z.string().min(1).optional(),
  REMEDIATE_DRY_RUN: flag,
  REMEDIATE_HTTP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** http-invoke on a platform with a memory or SQLite store: the operator says only one instance runs. */
  REMEDIATE_HTTP_SINGLE_INSTANCE: flag,
  REMEDIATE_DEADLINE_MS: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive whole number of milliseconds')
    .default('60000')
    .transform(Number),
  LOG_LEVEL: logLevel.default('info'),
});

export type Environment = z.infer<typeof environmentSchema>;

/**
 * The state store when REMEDIATE_STATE is unset: the working directory's `.remediate/state.db` when that
 * folder exists (a project that keeps its own state), else one per-user file, `$HOME/.remediate/state.db`,
 * so every command a person runs shares it wherever they run it from.
 */
export function defaultStateSpec(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  if (existsSync(join(cwd, '.remediate'))) return `sqlite:${join('.remediate', 'state.db')}`;
  return `sqlite:${join(env.HOME || homedir(), '.remediate', 'state.db')}`;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Environment {
  // An exported but empty variable means "not set", as most tools read it.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  set.REMEDIATE_STATE ??= defaultStateSpec(env, cwd);
  // Parsed once per container: zod's compiled fast path (built on a first parse) would never pay.
  const parsed = environmentSchema.safeParse(set, { jitless: true });
  if (parsed.success) return parsed.data;
  const { field, rule } = firstIssue(parsed.error);
  throw new ConfigError(`${field}: ${rule}`);
}

/** LOG_LEVEL alone (undefined when unset), for a command that reads nothing else of the environment. */
export function readLogLevel(env: NodeJS.ProcessEnv = process.env): Environment['LOG_LEVEL'] | undefined {
  const value = env.LOG_LEVEL;
  if (value === undefined || value === '') return undefined;
  const parsed = logLevel.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ConfigError(`LOG_LEVEL: ${firstIssue(parsed.error).rule}`);
}

export function endpointFor(provider: Provider, environment: Environment): string | undefined {
  const byProvider = {
    alibaba: environment.REMEDIATE_ALIBABA_ENDPOINT,
    tencent: environment.REMEDIATE_TENCENT_ENDPOINT,
    huawei: environment.REMEDIATE_HUAWEI_ENDPOINT,
  };
  return byProvider[provider];
}

/**
 * The standard variables of each vendor's own tools (docs/ARCHITECTURE.md, The request flow), for runs
 * outside a platform.
 */
export const CREDENTIAL_VARIABLES: Readonly<Record<Provider, { id: string; secret: string; token: string }>> =
  {
    alibaba: {
      id: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
      secret: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
      token: 'ALIBABA_CLOUD_SECURITY_TOKEN',
    },
    tencent: {
      id: 'TENCENTCLOUD_SECRETID',
      secret: 'TENCENTCLOUD_SECRETKEY',
      token: 'TENCENTCLOUD_SESSIONTOKEN',
    },
    huawei: {
      id: 'HUAWEICLOUD_SDK_AK',
      secret: 'HUAWEICLOUD_SDK_SK',
      token: 'HUAWEICLOUD_SDK_SECURITY_TOKEN',
    },
  };

export function credentialsFromEnvironment(
  provider: Provider,
  env: NodeJS.ProcessEnv = process.env,
): Credentials {
  const names = CREDENTIAL_VARIABLES[provider];
  const accessKeyId = env[names.id];
  const accessKeySecret = env[names.secret];
  if (!accessKeyId || !accessKeySecret) {
    throw new ConfigError(
      `${provider} credentials: set ${names.id} and ${names.secret} (and ${names.token} for temporary ones)`,
    );
  }
  return { accessKeyId, accessKeySecret, securityToken: env[names.token] || undefined };
}
