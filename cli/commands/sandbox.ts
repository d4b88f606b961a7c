import type { Command } from 'commander';
import { openSandbox, untilInterrupted } from '../sandbox-session';

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the local sandbox cloud that the Alibaba, Tencent and Huawei SDKs talk to')
    .option('--port <port>', 'port on 127.0.0.1 (0 picks a free one)', '4600')
    .option('--seed <seed>', 'initial state: demo, empty, or a JSON world file', 'demo')
    .option('--faults <spec>', 'inject faults, e.g. "5xx=0.1,throttle=0.05,drop=0.02,latency=20-80,seed=7"')
    .option('--json', 'print the listening address as one JSON line instead of text')
    .action(async (options: { port: string; seed: string; faults?: string; json?: boolean }) => {
      const { sandbox, lines } = await openSandbox(options);
      if (options.json) console.log(JSON.stringify({ url: sandbox.url, seed: options.seed }));
      else for (const line of [...lines, 'Ctrl-C stops it.']) console.log(line);
      await untilInterrupted(sandbox);
    });
}
