import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { auditEventFor } from '../../local/platform-events';
import { openStateStore } from '../../shared/state/open';
import { TEST_REDIS_URL } from '../helpers/redis';
import { ATTACH_CALLS } from './attach-calls';
import { CLOUDS, lastCall, mutatingCalls, RULES, type Settlement, useE2E } from './harness';

const e2e = useE2E();

/**
 * yaml (a YAML rules file) and ioredis (a Redis state store) are required only where used (load-rules.ts,
 * state/redis.ts): each bundle must still carry them and work with both.
 */
describe('packages a bundle requires only on some settings', () => {
  let dir = '';
  let rulesBefore: string | undefined;
  // The bundles' store keeps the default key prefix: what an earlier run left there would answer as duplicates.
  const clearRedis = async () => {
    const store = openStateStore(TEST_REDIS_URL);
    await store.clear();
    await store.close();
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'remediate-e2e-optional-'));
    rulesBefore = process.env.REMEDIATE_RULES;
    await clearRedis();
  });
  afterAll(async () => {
    process.env.REMEDIATE_RULES = rulesBefore;
    await clearRedis();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each(CLOUDS)('%s: with YAML rules and a Redis store, the audit-log bundle detaches', async (cloud) => {
    const rulesPath = join(dir, `rules-${cloud}.yaml`);
    writeFileSync(rulesPath, stringify(RULES));
    process.env.REMEDIATE_RULES = rulesPath;
    const { sandbox } = e2e;
    const [violation] = ATTACH_CALLS[cloud].violations;
    if (!violation) throw new Error('no violation scenario');
    await violation.attach(sandbox.url).catch(() => undefined);
    const event = auditEventFor(lastCall(sandbox, cloud, violation.action), 'documented');
    sandbox.calls.clear();

    const settlement = (await e2e.instance(cloud, 'audit-log', TEST_REDIS_URL).invoke(event)) as Settlement;
    expect(settlement.counts).toEqual({ detached: 1 });
    expect(mutatingCalls(sandbox)).toHaveLength(1);
    expect(violation.present(sandbox)).toBe(false);
  });
});
