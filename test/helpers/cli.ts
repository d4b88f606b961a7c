import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(__dirname, '../../bin/remediate.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `remediate …` as a user would, with the environment given (the ambient credentials removed) and,
 * for `remediate run -`, text on stdin.
 */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
  cwd?: string,
): Promise<CliRun> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(ALIBABA_CLOUD_|TENCENTCLOUD_|HUAWEICLOUD_|REMEDIATE_|LOG_LEVEL$|NO_COLOR$)/.test(name),
    ),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...clean, ...env }, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The variables that point every provider at one sandbox with its default keys. */
export function sandboxEnvironment(url: string): NodeJS.ProcessEnv {
  return {
    REMEDIATE_ALIBABA_ENDPOINT: url,
    REMEDIATE_TENCENT_ENDPOINT: url,
    REMEDIATE_HUAWEI_ENDPOINT: url,
    // Each CLI run keeps its own state unless a test shares a file on purpose.
    REMEDIATE_STATE: 'memory',
    ALIBABA_CLOUD_ACCESS_KEY_ID: 'sandbox',
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sandbox-secret',
    TENCENTCLOUD_SECRETID: 'sandbox',
    TENCENTCLOUD_SECRETKEY: 'sandbox-secret',
    HUAWEICLOUD_SDK_AK: 'sandbox',
    HUAWEICLOUD_SDK_SK: 'sandbox-secret',
  };
}
