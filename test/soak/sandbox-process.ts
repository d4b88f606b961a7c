/**
 * The sandbox cloud in a process of its own, so the workers' load and the driver's bookkeeping do not
 * share its event loop. Usage: node --import tsx sandbox-process.ts WORLD.json
 * Prints `{"url":…}` once listening; faults, calls and state go through the admin API (/_sandbox/…).
 */
import { readFileSync } from 'node:fs';
import { startSandbox } from '../../sandbox/server';
import { parseWorld } from '../../sandbox/world';

async function main(): Promise<void> {
  const path = process.argv[2];
  if (!path) throw new Error('usage: sandbox-process.ts WORLD.json');
  const sandbox = await startSandbox({ seed: parseWorld(JSON.parse(readFileSync(path, 'utf8'))) });
  process.stdout.write(`${JSON.stringify({ url: sandbox.url })}\n`);
  const stop = () => void sandbox.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
