import { beforeEach, describe, expect, it } from 'vitest';
import { emptyWorld, type WorldInput } from '../../../sandbox/world';
import type { Outcome } from '../../../shared/outcomes';
import { SANDBOX_CREDENTIALS } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';
import { delivery, makeEngine } from './engine-fixture';

// Issue 11 defect 2: each detach a cascade makes is its own request through the engine.
const ACCOUNT = '1400000000000001';
const POLICY = 'ops-admin';
const HOLDERS = ['alice', 'bob', 'carol', 'breakglass'].map((n) => `${n}@corp.onaliyun.com`);

function world(): WorldInput {
  return {
    ...emptyWorld(),
    alibaba: {
      defaultAccount: ACCOUNT,
      accounts: {
        [ACCOUNT]: {
          resourceGroups: [{ id: 'rg-prod', name: 'prod' }],
          policies: [
            {
              name: POLICY,
              type: 'Custom',
              versions: [
                { versionId: 'v1', isDefault: false },
                { versionId: 'v2', isDefault: true },
              ],
            },
          ],
          attachments: HOLDERS.map((principalName) => ({
            resourceGroupId: 'rg-prod',
            policyType: 'Custom' as const,
            policyName: POLICY,
            principalType: 'IMSUser' as const,
            principalName,
          })) as never,
        },
      },
    },
  } as WorldInput;
}

const sandbox = useSandbox(world);
beforeEach(() => sandbox.current.reset());

const DELETE = { provider: 'alibaba', operation: 'delete-policy', policyName: POLICY, cascade: true };
const attached = () =>
  (sandbox.current.world.alibaba.accounts[ACCOUNT]?.attachments ?? []).map((a) => a.principalName).sort();
const policyExists = () =>
  (sandbox.current.world.alibaba.accounts[ACCOUNT]?.policies ?? []).some((p) => p.name === POLICY);
const EXEMPT = [
  'version: 1',
  'exemptions:',
  '  - when: { principalName: "breakglass@corp.onaliyun.com" }',
  '    reason: break-glass',
  '    owner: secops@corp.example',
  '    expires: 2099-12-31',
].join('\n');

describe('delete-policy with cascade', () => {
  it('an exempt attachment blocks the delete: it stays, the policy stays, the outcome names it', async () => {
    const { engine, logs } = makeEngine(sandbox.current, { rules: EXEMPT, credentials: SANDBOX_CREDENTIALS });
    const outcome = (await engine.handleInput(DELETE, delivery('casc-1'))) as Outcome;
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'attached-elsewhere' });
    expect(outcome.hint).toMatch(/breakglass@corp\.onaliyun\.com/);
    expect(outcome.hint).toMatch(/exempt/);
    expect(attached()).toEqual(['breakglass@corp.onaliyun.com']);
    expect(policyExists()).toBe(true);
    expect(sandbox.current.calls.list({ action: 'DeletePolicy' })).toEqual([]);
    // An outcome each: three detaches, one exempt skip, and the delete's own.
    const lines = logs.lines().filter((l) => l.msg === 'outcome' || l.msg === 'dead-lettered');
    expect(lines.map((l) => l.status).sort()).toEqual([
      'dead-lettered',
      'detached',
      'detached',
      'detached',
      'skipped',
    ]);
  });

  it('every detach counts against the breaker; when it opens the policy is not deleted', async () => {
    const { engine } = makeEngine(sandbox.current, {
      rules: 'version: 1\nbreaker: { explicit: { maxActions: 2, window: 10m } }\n',
      credentials: SANDBOX_CREDENTIALS,
    });
    const outcome = await engine.handleInput(DELETE, delivery('casc-2'));
    expect(outcome).toMatchObject({ status: 'dead-lettered', reason: 'attached-elsewhere' });
    expect(outcome.hint).toMatch(/circuit-open/);
    expect(sandbox.current.calls.totals().applied).toBe(2);
    expect(attached()).toHaveLength(2);
    expect(policyExists()).toBe(true);
  });

  it('with nothing exempt: every attachment detached, old versions removed, then deleted', async () => {
    const { engine } = makeEngine(sandbox.current, { credentials: SANDBOX_CREDENTIALS });
    const outcome = await engine.handleInput(DELETE, delivery('casc-3'));
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'deleted' });
    expect(attached()).toEqual([]);
    expect(policyExists()).toBe(false);
    // Delivered again: the stored outcomes answer, no call is made.
    const before = sandbox.current.calls.totals().mutating;
    expect(await engine.handleInput(DELETE, delivery('casc-3'))).toMatchObject({
      status: 'deleted',
      duplicate: true,
    });
    expect(sandbox.current.calls.totals().mutating).toBe(before);
  });
});
