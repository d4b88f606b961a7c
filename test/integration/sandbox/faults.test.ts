import { request } from 'node:http';
import { DetachPolicyRequest } from '@alicloud/resourcemanager20200331';
import { beforeEach, describe, expect, it } from 'vitest';
import { alibabaClient } from '../../../local/sdk-clients';
import { parseFaultSpec } from '../../../sandbox/faults';
import { loadSeed } from '../../../sandbox/seeds';
import { useSandbox } from '../../helpers/sandbox';

const sandbox = useSandbox(() => loadSeed('demo'));
const mallory = new DetachPolicyRequest({
  resourceGroupId: 'rg-aek2prod7xk3q',
  policyType: 'System',
  policyName: 'AdministratorAccess',
  principalType: 'IMSUser',
  principalName: 'mallory@corp.onaliyun.com',
});
const malloryAttached = () =>
  sandbox.current.world.alibaba.accounts['1234567890123456']?.attachments.some(
    (a) => a.principalName === 'mallory@corp.onaliyun.com',
  );

async function failure(call: Promise<unknown>): Promise<{ code?: string; name?: string }> {
  try {
    await call;
  } catch (error) {
    return error as { code?: string; name?: string };
  }
  throw new Error('expected the call to fail');
}

beforeEach(() => sandbox.current.reset());

describe('injected faults, seen through the Alibaba SDK', () => {
  it('drop: the connection resets and nothing is applied', async () => {
    sandbox.current.faults.set(parseFaultSpec('drop=1'));
    expect((await failure(alibabaClient(sandbox.current.url).detachPolicy(mallory))).code).toBe('ECONNRESET');
    expect(malloryAttached()).toBe(true);
    expect(sandbox.current.calls.list()).toMatchObject([
      { action: 'DetachPolicy', fault: 'drop', applied: false },
    ]);
  });

  it('drop-after: the connection resets but the detach was applied (the answer is lost)', async () => {
    sandbox.current.faults.set(parseFaultSpec('drop-after=1'));
    expect((await failure(alibabaClient(sandbox.current.url).detachPolicy(mallory))).code).toBe('ECONNRESET');
    expect(malloryAttached()).toBe(false);
    expect(sandbox.current.calls.totals()).toMatchObject({ mutating: 1, applied: 1 });
  });

  it('hang: no answer until the client gives up, and nothing is applied', async () => {
    sandbox.current.faults.set(parseFaultSpec('hang=1,hang-ms=10000'));
    const started = Date.now();
    const error = await failure(alibabaClient(sandbox.current.url, { timeoutMs: 300 }).detachPolicy(mallory));
    expect(error.name).toMatch(/Timeout/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(malloryAttached()).toBe(true);
  });

  it('latency: answers come no sooner than the added latency', async () => {
    sandbox.current.faults.set(parseFaultSpec('latency=150'));
    const started = Date.now();
    await alibabaClient(sandbox.current.url).detachPolicy(mallory);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('a fault seed makes a run reproducible call for call', async () => {
    const run = async () => {
      sandbox.current.reset();
      sandbox.current.faults.set(parseFaultSpec('5xx=0.5,seed=11'));
      const codes: string[] = [];
      for (let i = 0; i < 12; i++) {
        codes.push(
          (await alibabaClient(sandbox.current.url)
            .detachPolicy(mallory)
            .then(
              () => 'ok',
              (e) => e.code,
            )) as string,
        );
        sandbox.current.replaceWorld(loadSeed('demo'));
      }
      return codes;
    };
    const first = await run();
    expect(first).toContain('ServiceUnavailable');
    expect(first).toContain('ok');
    expect(await run()).toEqual(first);
  });
});

describe('call accounting', () => {
  it('counts reads, mutating calls and those that changed state, per action', async () => {
    const client = alibabaClient(sandbox.current.url);
    await client.detachPolicy(mallory);
    await client.detachPolicy(mallory).catch(() => undefined); // already gone: mutating, not applied
    const response = await fetch(`${sandbox.current.url}/_sandbox/calls/count`);
    expect(await response.json()).toEqual({
      total: 2,
      read: 0,
      mutating: 2,
      applied: 1,
      byAction: { 'alibaba:DetachPolicy': { total: 2, applied: 1, errors: 1 } },
    });
  });
});

describe('request size', () => {
  it('answers a body over 1 MiB with the vendor size error, before anything else', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${sandbox.current.url}/v5/policies/p-1/detach-agency`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(Buffer.alloc(1024 * 1024 + 10, 'a'));
    });
    expect(status).toBe(413);
  });
});
