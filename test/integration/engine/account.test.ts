import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyWorld, type WorldInput } from '../../../sandbox/world';
import { MemoryStore } from '../../../shared/state/memory';
import { useSandbox } from '../../helpers/sandbox';
import { type Deliverer, startDeliverer, stopDeliverers } from './deliver-worker';
import { delivery, makeEngine } from './engine-fixture';

// Issue 11 defect 1: budgets and limits count against the account the credentials act in, whatever a
// request says and whichever of the account's keys signs.
const ALIBABA_ACCOUNT = '1300000000000001';
const TENCENT_ACCOUNT = '100000000077';
const USERS = Array.from({ length: 120 }, (_, i) => `u${i}@corp.onaliyun.com`);
const KEYS = [0, 1, 2, 3].map((i) => ({
  accessKeyId: `STS.rot${i}`,
  accessKeySecret: `rot-secret-${i}`,
  securityToken: `rot-token-${i}`,
}));
const NODE = 4000;
const POLICIES = Array.from({ length: 80 }, (_, i) => 500_000 + i);

function world(): WorldInput {
  const base = emptyWorld();
  return {
    ...base,
    limits: { 'tencent:DetachPolicy': 20 },
    keys: KEYS.flatMap((k) =>
      (['alibaba', 'tencent'] as const).map((cloud) => ({
        cloud,
        accessKeyId: k.accessKeyId,
        secret: k.accessKeySecret,
        token: k.securityToken,
      })),
    ),
    alibaba: {
      defaultAccount: ALIBABA_ACCOUNT,
      accounts: {
        [ALIBABA_ACCOUNT]: {
          resourceGroups: [{ id: 'rg-prod', name: 'prod' }],
          policies: [
            { name: 'AdministratorAccess', type: 'System', versions: [{ versionId: 'v1', isDefault: true }] },
          ],
          attachments: USERS.map((principalName) => ({
            resourceGroupId: 'rg-prod',
            policyType: 'System' as const,
            policyName: 'AdministratorAccess',
            principalType: 'IMSUser' as const,
            principalName,
          })) as never,
        },
      },
    },
    tencent: {
      defaultAccount: TENCENT_ACCOUNT,
      organizations: [
        {
          orgId: 7,
          ownerUin: TENCENT_ACCOUNT,
          rootNodeId: 1,
          nodes: [
            { nodeId: 1, name: 'root', parentNodeId: null },
            { nodeId: NODE, name: 'Target', parentNodeId: 1 },
          ],
          members: [{ uin: TENCENT_ACCOUNT, name: 'management', nodeId: 1 }],
          policies: [
            { policyId: 1, name: 'FullQcloudAccess', type: 'SERVICE_CONTROL_POLICY', category: 1 },
            ...POLICIES.map((policyId) => ({
              policyId,
              name: `P-${policyId}`,
              type: 'SERVICE_CONTROL_POLICY' as const,
            })),
          ],
          enabledPolicyTypes: ['SERVICE_CONTROL_POLICY'],
          bindings: [
            { policyId: 1, targetId: NODE, targetType: 'NODE' as const },
            ...POLICIES.map((policyId) => ({ policyId, targetId: NODE, targetType: 'NODE' as const })),
          ],
        },
      ],
    },
  } as WorldInput;
}

const sandbox = useSandbox(world);
beforeEach(() => sandbox.current.reset());

const detach = (principalName: string, account?: string) => ({
  provider: 'alibaba',
  operation: 'detach-policy',
  resourceGroupId: 'rg-prod',
  policyType: 'System',
  policyName: 'AdministratorAccess',
  principalType: 'IMSUser',
  principalName,
  ...(account === undefined ? {} : { account }),
});

describe('the breaker counts the account the credentials act in (breaker 50)', () => {
  const RULES = 'version: 1\nbreaker: { explicit: { maxActions: 50, window: 10m } }\n';

  it('600 queue messages with 600 account labels, then 600 without, signed by 4 rotating keys: at most 50 mutating calls', async () => {
    let turn = 0;
    const { engine, store } = makeEngine(sandbox.current, {
      rules: RULES,
      store: new MemoryStore(),
      credentialsFor: () => KEYS[turn++ % KEYS.length] as (typeof KEYS)[number],
    });
    const labelled = await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        engine.handleInput(detach(USERS[i % USERS.length] as string, `label-${i}`), delivery(`lab-${i}`)),
      ),
    );
    // A label that is not the credentials' account is refused, never a way to another budget.
    expect(labelled.every((o) => o.status === 'dead-lettered' && o.reason === 'invalid-input')).toBe(true);
    expect(labelled[0]?.hint).toMatch(new RegExp(`act in alibaba account ${ALIBABA_ACCOUNT}, not label-0`));

    const plain = await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        engine.handleInput(detach(USERS[i % USERS.length] as string), delivery(`rot-${i}`)),
      ),
    );
    const totals = sandbox.current.calls.totals();
    expect(totals.byAction['alibaba:DetachPolicy']?.total ?? 0).toBeLessThanOrEqual(50);
    expect(totals.applied).toBe(50);
    expect(plain.filter((o) => o.reason === 'circuit-open')).toHaveLength(550);
    // The label that names the real account is accepted.
    const own = await engine.handleInput(detach(USERS[119] as string, ALIBABA_ACCOUNT), delivery('own'));
    expect(own).toMatchObject({ status: 'dead-lettered', reason: 'circuit-open' });
    expect(await store.countDeadLetters()).toBe(600 + 550 + 1);
  }, 60_000);
});

describe('the Tencent rate limiter counts the account, not the key', () => {
  const directory = mkdtempSync(join(tmpdir(), 'remediate-account-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('4 processes, each with its own key of one account, sharing SQLite: 0 throttling answers', async () => {
    const spec = `sqlite:${join(directory, 'state.db')}`;
    // Paced at 15/s against the sandbox's 20/s: room for the jitter of a loaded machine (the sandbox
    // runs in this busy test process), while four keys counted apart would send 60/s.
    const rules = 'version: 1\nrateLimits: { tencent/detach-policy: 15 }\n';
    const workers: Deliverer[] = KEYS.map((credentials) =>
      startDeliverer({ spec, url: sandbox.current.url, credentials, rules, productionRetries: true }),
    );
    try {
      await Promise.all(workers.map((w) => w.ready));
      const run = randomUUID();
      const share = POLICIES.length / workers.length;
      const results = await Promise.all(
        workers.map((w, p) =>
          w.deliver({
            tag: 'limit',
            deliveries: POLICIES.slice(p * share, (p + 1) * share).map((policyId) => ({
              eventId: `${run}-${policyId}`,
              request: {
                provider: 'tencent',
                operation: 'detach-policy',
                policyId,
                targetId: NODE,
                targetType: 'NODE',
              },
            })),
            deadlineMs: 60_000,
            onPlatform: false,
          }),
        ),
      );
      await Promise.all(workers.map((w) => w.close()));
      const outcomes = results.flat().map((line) => ('outcome' in line ? line.outcome.status : line.error));
      expect(outcomes.filter((s) => s !== 'detached')).toEqual([]);
      const throttled = sandbox.current.calls
        .list({ action: 'DetachPolicy' })
        .filter((c) => c.code?.startsWith('RequestLimitExceeded'));
      expect(throttled).toHaveLength(0);
    } finally {
      stopDeliverers(workers);
    }
  }, 120_000);
});
