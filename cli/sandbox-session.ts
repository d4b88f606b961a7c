import { parseFaultSpec } from '../sandbox/faults';
import { loadSeed } from '../sandbox/seeds';
import { type Sandbox, startSandbox } from '../sandbox/server';
import { summarizeWorld } from '../sandbox/summary';
import { UsageError } from './errors';
import { portOption } from './port';

export interface SandboxSessionOptions {
  port: string;
  seed: string;
  faults?: string | undefined;
}

/** Validates the sandbox options, starts it and returns it with the lines that describe it. */
export async function openSandbox(
  options: SandboxSessionOptions,
): Promise<{ sandbox: Sandbox; lines: string[] }> {
  const port = portOption('--port', options.port);
  const world = asUsage('--seed', () => loadSeed(options.seed));
  const faults =
    options.faults === undefined
      ? undefined
      : asUsage('--faults', () => parseFaultSpec(options.faults ?? ''));
  const sandbox = await startSandbox({ port, seed: world, faults }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new UsageError(`--port: ${port} is already in use`);
    throw error;
  });
  const url = sandbox.url;
  const lines = [
    `sandbox cloud listening on ${url} (seed: ${options.seed}${options.faults ? `, faults: ${options.faults}` : ''})`,
    ...summarizeWorld(world),
    `point the SDKs and functions at it: REMEDIATE_ALIBABA_ENDPOINT=${url} REMEDIATE_TENCENT_ENDPOINT=${url} REMEDIATE_HUAWEI_ENDPOINT=${url}`,
    'credentials: access key id "sandbox", secret "sandbox-secret" on every cloud',
    `admin API: ${url}/_sandbox/state, /_sandbox/calls, /_sandbox/calls/count, /_sandbox/faults, /_sandbox/reset`,
  ];
  return { sandbox, lines };
}

function asUsage<T>(flag: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(`${flag}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Resolves on Ctrl-C or SIGTERM, after the sandbox has closed its connections. */
export function untilInterrupted(sandbox: Sandbox): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      sandbox.stop().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
