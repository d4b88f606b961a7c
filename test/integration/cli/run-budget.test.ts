import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorldInput } from '../../../sandbox/world';
import { runCli, sandboxEnvironment } from '../../helpers/cli';
import { useSandbox } from '../../helpers/sandbox';
import { huaweiLine, parseRun, type Workspace, workspace } from './bulk-fixture';

const LINES = 600;
const ACCOUNT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const agencyIds = Array.from({ length: LINES }, (_, i) => `agency-${String(i + 1).padStart(3, '0')}`);

/** One Huawei account whose FullAccess policy is attached to 600 agencies: 600 explicit orders for one account. */
function bulkWorld(): WorldInput {
  return {
    alibaba: { defaultAccount: '1000000000000001', accounts: { '1000000000000001': {} } },
    tencent: { defaultAccount: '100000000001', organizations: [] },
    huawei: {
      defaultAccount: ACCOUNT,
      accounts: {
        [ACCOUNT]: {
          agencies: agencyIds.map((agencyId) => ({ agencyId, name: agencyId, type: 'agency' })),
          policies: [
            {
              policyId: 'full-access',
              name: 'FullAccess',
              type: 'system',
              urn: 'iam::system:policy/FullAccess',
            },
          ],
          attachments: agencyIds.map((agencyId) => ({ policyId: 'full-access', agencyId })),
        },
      },
    },
  } as WorldInput;
}

const sandbox = useSandbox(bulkWorld);
let space: Workspace;
const env = () => ({ ...sandboxEnvironment(sandbox.current.url), REMEDIATE_STATE: space.state });
const bulkFile = () =>
  space.jsonl(
    'bulk.jsonl',
    agencyIds.map((agencyId) => huaweiLine('full-access', agencyId)),
  );

beforeEach(() => {
  sandbox.current.reset();
  space = workspace();
});
afterEach(() => space.remove());

describe('remediate run: explicit bulk budgets', { timeout: 300_000 }, () => {
  // docs/ARCHITECTURE.md, Safety: explicit orders have their own budget, large enough for a big cleanup; the
  // audit-log breaker (50 per 10 minutes) does not cap them. Needs helper safety's explicit budget in the
  // engine.
  it(`${LINES} requests for one account, no flags: ${LINES} calls, none circuit-open`, async () => {
    const run = await runCli(['run', bulkFile(), '--json'], env());
    const { outcomes, summary } = parseRun(run.stdout);
    expect(
      outcomes.filter((o) => o.reason === 'circuit-open').length,
      'lines dead-lettered circuit-open',
    ).toBe(0);
    expect(summary).toMatchObject({ total: LINES, detached: LINES, notDone: 0 });
    expect(run.code).toBe(0);
    expect(sandbox.current.calls.totals()).toMatchObject({ mutating: LINES, applied: LINES });
  });

  it(`--max 10: 10 calls, and each of the other ${LINES - 10} lines is named`, async () => {
    const run = await runCli(['run', bulkFile(), '--max', '10'], env());
    expect(run.code).toBe(1);
    expect(sandbox.current.calls.totals()).toMatchObject({ mutating: 10, applied: 10 });
    expect(run.stdout).toMatch(new RegExp(`^${LINES - 10} lines not done:$`, 'm'));
    const named = [
      ...run.stdout.matchAll(
        /^ {2}line (\d+): dead-lettered \(circuit-open\) {2}huawei\/detach-agency-policy/gm,
      ),
    ];
    expect(named).toHaveLength(LINES - 10);
    expect(new Set(named.map((m) => m[1])).size).toBe(LINES - 10);
  });
});
