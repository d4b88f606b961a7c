import { describe, expect, it } from 'vitest';
import { listPacer } from '../../../cli/scan/pace';
import { loadSeed } from '../../../sandbox/seeds';
import type { Sandbox } from '../../../sandbox/server';
import type { WorldInput } from '../../../sandbox/world';
import { ATTACHMENT_LISTERS } from '../../../shared/providers/listers';
import { DEFAULT_LISTING_LIMITS } from '../../../shared/providers/listing';
import type { ProviderContext } from '../../../shared/providers/types';
import { MemoryStore } from '../../../shared/state/memory';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';

/** The low limit of this test, enforced by the sandbox (sliding second per account) and paced under by us. */
const PER_SECOND = 4;
const EXTRA_POLICIES = 10;

/** The demo organization with `extra` more bound service control policies, and a sandbox limit. */
function world(extra: number, perSecond: number): WorldInput {
  const demo = loadSeed('demo') as WorldInput & {
    tencent: { organizations: { policies: unknown[]; bindings: unknown[] }[] };
  };
  const organization = demo.tencent.organizations[0];
  if (!organization) throw new Error('the demo seed has no Tencent organization');
  for (let i = 0; i < extra; i++) {
    const policyId = 300_001 + i;
    organization.policies.push({ policyId, name: `Extra${i}`, type: 'SERVICE_CONTROL_POLICY' });
    organization.bindings.push({ policyId, targetId: 1002, targetType: 'NODE' });
  }
  return { ...demo, limits: { 'tencent:ListTargetsForPolicy': perSecond } };
}

/** The most calls the sandbox received in any one-second window (by its own arrival times). */
function busiestSecond(sandbox: { current: Sandbox }, action: string): number {
  const times = sandbox.current.calls
    .list({ cloud: 'tencent', action })
    .map((c) => Date.parse(c.at))
    .sort((a, b) => a - b);
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= 1_000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('scan list calls under each API rate limit', () => {
  const sandbox = useSandbox(() => world(EXTRA_POLICIES, PER_SECOND));
  const context = (): ProviderContext => ({
    credentials: { accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret' },
    endpoint: sandbox.current.url,
    timeoutMs: 5_000,
  });

  it('unpaced, the listing bursts past a low limit and is throttled (what the pacing prevents)', async () => {
    sandbox.current.calls.clear();
    const result = await ATTACHMENT_LISTERS.tencent.list(context());
    expect(result.error?.code).toBe('RequestLimitExceeded');
    expect(busiestSecond(sandbox, 'ListTargetsForPolicy')).toBeGreaterThan(PER_SECOND);
  });

  it('paced through the shared limiter, every call fits the limit in every second and the scan completes', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the previous test's second has passed
    sandbox.current.calls.clear();
    const store = new MemoryStore();
    const pace = listPacer(store, context, (provider, api) =>
      provider === 'tencent' && api === 'ListTargetsForPolicy' ? PER_SECOND : 20,
    );
    const result = await ATTACHMENT_LISTERS.tencent.list(context(), { ...DEFAULT_LISTING_LIMITS, pace });
    await store.close();
    expect(result.error).toBeUndefined();
    const calls = sandbox.current.calls.list({ cloud: 'tencent', action: 'ListTargetsForPolicy' });
    expect(calls).toHaveLength(4 + EXTRA_POLICIES);
    expect(calls.filter((c) => c.code !== undefined)).toEqual([]);
    expect(busiestSecond(sandbox, 'ListTargetsForPolicy')).toBeLessThanOrEqual(PER_SECOND);
    expect(result.attachments).toHaveLength(7 + EXTRA_POLICIES);
  });
});

describe('remediate scan paces its list calls under the documented limits', () => {
  // Tencent documents 20 ListTargetsForPolicy calls a second; 34 bound policies make 35 calls in a row.
  const sandbox = useSandbox(() => world(30, 20));

  it('lists an organization that needs more calls than the limit allows in a second, none throttled', async () => {
    const run = await runCli(
      ['scan', '--provider', 'tencent', '--json'],
      sandboxEnvironment(sandbox.current.url),
    );
    expect(run.code).toBe(0);
    const calls = sandbox.current.calls.list({ cloud: 'tencent', action: 'ListTargetsForPolicy' });
    expect(calls).toHaveLength(4 + 30);
    expect(calls.filter((c) => c.code !== undefined)).toEqual([]);
    expect(busiestSecond(sandbox, 'ListTargetsForPolicy')).toBeLessThanOrEqual(20);
  });
});
