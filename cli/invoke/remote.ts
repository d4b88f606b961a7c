import { credentialsFromEnvironment, type Environment } from '../../shared/config/environment';
import { UsageError } from '../errors';

export interface FcTarget {
  account: string;
  service: string;
  function: string;
  /** A version or alias: `SERVICE.QUALIFIER`. */
  qualifier?: string | undefined;
}

// FC names: letters, digits, underscores and hyphens, not starting with a digit or hyphen; services up to
// 128 characters, functions up to 64. Qualifiers are version numbers or alias names.
const SERVICE = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const FUNCTION = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const QUALIFIER = /^[A-Za-z0-9_-]{1,128}$/;
const ACCOUNT = /^\d{1,32}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+$/;

/** `--fc ACCOUNT/SERVICE[.QUALIFIER]/FUNCTION`, each part checked so a typo never reaches the cloud. */
export function parseFcTarget(value: string): FcTarget {
  const parts = value.split('/');
  if (parts.length !== 3) throw new UsageError(`--fc: must be ACCOUNT/SERVICE/FUNCTION, got '${value}'`);
  const [account = '', serviceAndQualifier = '', fn = ''] = parts;
  const [service = '', qualifier] = serviceAndQualifier.split(/\.(.*)/s, 2);
  if (!ACCOUNT.test(account))
    throw new UsageError(`--fc: the account '${account}' must be an account id (digits)`);
  if (!SERVICE.test(service))
    throw new UsageError(
      `--fc: the service '${service}' must be 1 to 128 letters, digits, _ or -, not starting with a digit or -`,
    );
  if (qualifier !== undefined && !QUALIFIER.test(qualifier))
    throw new UsageError(`--fc: the qualifier '${qualifier}' must be a version or an alias name`);
  if (!FUNCTION.test(fn))
    throw new UsageError(
      `--fc: the function '${fn}' must be 1 to 64 letters, digits, _ or -, not starting with a digit or -`,
    );
  return { account, service, function: fn, qualifier: qualifier || undefined };
}

export function fcRegion(env: NodeJS.ProcessEnv): string {
  const region = env.ALIBABA_CLOUD_REGION_ID || 'cn-hangzhou';
  if (!REGION.test(region)) throw new UsageError(`ALIBABA_CLOUD_REGION_ID: '${region}' is not a region id`);
  return region;
}

/**
 * Function Compute's endpoint for the account: https://<ACCOUNT>.<region>.fc.aliyuncs.com, the region from
 * ALIBABA_CLOUD_REGION_ID (default cn-hangzhou); REMEDIATE_ALIBABA_ENDPOINT replaces it when set (the sandbox
 * serves Function Compute next to Resource Manager).
 */
export function fcEndpoint(target: FcTarget, environment: Environment, env: NodeJS.ProcessEnv): string {
  return (
    environment.REMEDIATE_ALIBABA_ENDPOINT ?? `https://${target.account}.${fcRegion(env)}.fc.aliyuncs.com`
  );
}

/** The deployed function threw: FC answered 200 with `x-fc-error-type` and the error as the body. */
export class FunctionError extends Error {
  override readonly name = 'FunctionError';
  constructor(
    readonly errorType: string,
    message: string,
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

/** Function Compute refused or failed the call itself (signature, unknown function, throttling…). */
export class FcApiError extends Error {
  override readonly name = 'FcApiError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How long to wait for a synchronous invocation: the CLI's request budget plus a margin for the platform. */
const MARGIN_MS = 10_000;

/**
 * Invokes the deployed function synchronously through @alicloud/fc2 with the event file's bytes as the
 * payload (what FC hands the handler as its Buffer) and returns its result, parsed when it is JSON.
 */
export async function invokeRemote(
  target: FcTarget,
  payload: Buffer,
  environment: Environment,
  env: NodeJS.ProcessEnv,
): Promise<{ result: unknown; requestId: string | undefined }> {
  const credentials = credentialsFromEnvironment('alibaba', env);
  const endpoint = fcEndpoint(target, environment, env);
  // Loaded only here: it brings its own HTTP, OSS and WebSocket clients, which no other command needs.
  const FCClient = require('@alicloud/fc2') as typeof import('@alicloud/fc2');
  const client = new FCClient(target.account, {
    accessKeyID: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    securityToken: credentials.securityToken,
    region: fcRegion(env),
    endpoint,
    timeout: environment.REMEDIATE_DEADLINE_MS + MARGIN_MS,
  });
  let response: Awaited<ReturnType<typeof client.invokeFunction>>;
  try {
    response = await client.invokeFunction(
      target.service,
      target.function,
      payload,
      { 'x-fc-invocation-type': 'Sync' },
      target.qualifier,
    );
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' && e.code !== '' ? e.code : 'NetworkError';
    throw new FcApiError(code, String(e.message ?? error));
  }
  const requestId = first(response.headers['x-fc-request-id']);
  const data = typeof response.data === 'string' ? parseMaybe(response.data) : response.data;
  const errorType = first(response.headers['x-fc-error-type']);
  if (errorType) {
    const body = (data ?? {}) as { errorMessage?: unknown; errorType?: unknown };
    throw new FunctionError(
      typeof body.errorType === 'string' ? body.errorType : errorType,
      typeof body.errorMessage === 'string' ? body.errorMessage : JSON.stringify(data),
      requestId,
    );
  }
  return { result: data, requestId };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseMaybe(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
