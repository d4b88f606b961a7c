import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { coldInvoke } from './cold-invoke';
import { engineOverhead } from './engine-overhead';
import { sharedLimiter } from './limiter';
import { providerOverhead } from './provider-overhead';
import { sandboxThroughput } from './sandbox-throughput';
import { type BenchRow, formatTable } from './table';
import { warmThroughput } from './warm-throughput';

/** `npm run bench`: every benchmark, printed as a table and written to bench/results.json. */
async function main(): Promise<void> {
  const machine = `${cpus().length} cores ${cpus()[0]?.model ?? ''}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
  const suites: Record<string, () => Promise<BenchRow[]>> = {
    'sandbox throughput': sandboxThroughput,
    'cold invoke': coldInvoke,
    'warm throughput': warmThroughput,
    'provider overhead': providerOverhead,
    'engine overhead': engineOverhead,
    'shared rate limiter': sharedLimiter,
  };
  const results: Record<string, BenchRow[]> = {};
  for (const [name, run] of Object.entries(suites)) {
    console.log(`\n## ${name}`);
    results[name] = await run();
    console.log(formatTable(results[name]));
  }
  writeFileSync(
    join(__dirname, 'results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2)}\n`,
  );
  console.log(`\n${machine}\nwritten to bench/results.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
