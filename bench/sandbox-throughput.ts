import { join } from 'node:path';
import { ListPolicyAttachmentsRequest } from '@alicloud/resourcemanager20200331';
import { alibabaClient } from '../local/sdk-clients';
import { startServer, throughput } from './child';
import type { BenchRow } from './table';

const CALLS = 3_000;
const CONCURRENCY = 16;
const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Requests/s through the Alibaba SDK against the sandbox (signature check, routing, state, call log)
 * vs against a bare node:http server answering the same bytes. Both run in their own process.
 */
export async function sandboxThroughput(): Promise<BenchRow[]> {
  const sandbox = await startServer(join(__dirname, 'servers/sandbox.ts'));
  const captured = await captureReply(sandbox.url);
  const bare = await startServer(join(__dirname, 'servers/bare.ts'), {
    BARE_REPLY: JSON.stringify(captured),
  });
  // Interleaved rounds, median of each: the servers share the machine's two cores with the client, so a
  // single run of each would mostly measure what else the machine was doing at that moment.
  const sandboxRuns: number[] = [];
  const bareRuns: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    sandboxRuns.push(await measure(sandbox.url));
    bareRuns.push(await measure(bare.url));
  }
  await Promise.all([sandbox.stop(), bare.stop()]);
  const viaSandbox = median(sandboxRuns);
  const viaBare = median(bareRuns);

  return [
    { name: 'sandbox: Alibaba SDK ListPolicyAttachments, req/s', value: viaSandbox, unit: 'req/s' },
    { name: 'bare node:http, same bytes, req/s', value: viaBare, unit: 'req/s' },
    {
      name: 'sandbox / bare throughput',
      value: viaSandbox / viaBare,
      unit: 'ratio',
      goal: '>= 0.7',
      met: viaSandbox / viaBare >= 0.7,
    },
  ];
}

async function measure(url: string): Promise<number> {
  const client = alibabaClient(url);
  const call = () => client.listPolicyAttachments(new ListPolicyAttachmentsRequest({ pageSize: 10 }));
  await throughput(200, CONCURRENCY, call); // warm-up: connections, JIT
  return throughput(CALLS, CONCURRENCY, call);
}

/** The sandbox's own answer to the benchmarked call, replayed verbatim by the bare server. */
async function captureReply(url: string) {
  const client = alibabaClient(url);
  const response = await client.listPolicyAttachments(new ListPolicyAttachmentsRequest({ pageSize: 10 }));
  const body = JSON.stringify(response.body?.toMap() ?? {});
  return { status: 200, headers: { 'content-type': 'application/json;charset=utf-8' }, body };
}
