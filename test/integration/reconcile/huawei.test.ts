import { beforeEach, describe, expect, it } from 'vitest';
import { readHuaweiTarget } from '../../../shared/reconcile/huawei';
import { SANDBOX_CREDENTIALS } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';
import { huaweiWorld } from '../providers/huawei-fixture';

const sandbox = useSandbox(huaweiWorld);
const context = () => ({ credentials: SANDBOX_CREDENTIALS, endpoint: sandbox.current.url, timeoutMs: 2_000 });
const actions = () => sandbox.current.calls.list().map((call) => `${call.action} ${call.httpStatus}`);

beforeEach(() => sandbox.current.reset());

// CTS may name the agency by its name rather than its id: the reader then resolves the name with ListAgenciesV5.
describe('reconcile huawei: an audit event that names the agency by its name', () => {
  it('resolves the name to the agency id and lists what is attached to it', async () => {
    const read = await readHuaweiTarget(
      { provider: 'huawei', operation: 'detach-agency-policy', agency: 'ci-deployer' },
      context(),
    );
    expect(read.ok).toBe(true);
    const attachments = read.ok ? read.attachments : [];
    expect(attachments.map((a) => a.request)).toEqual(
      ['p-dns', 'p-ecs', 'p-full', 'p-vpc'].map((policyId) => ({
        provider: 'huawei',
        operation: 'detach-agency-policy',
        policyId,
        agencyId: 'ag-ci',
      })),
    );
    expect(actions()).toEqual([
      'ListAttachedAgencyPoliciesV5 404',
      'ListAgenciesV5 200',
      'ListAttachedAgencyPoliciesV5 200',
    ]);
  });

  it('keeps only the named policy when the event names one', async () => {
    const read = await readHuaweiTarget(
      {
        provider: 'huawei',
        operation: 'detach-agency-policy',
        agency: 'external-auditor',
        policyId: 'p-read',
      },
      context(),
    );
    expect(read.ok && read.attachments.map((a) => a.request)).toEqual([
      { provider: 'huawei', operation: 'detach-agency-policy', policyId: 'p-read', agencyId: 'ag-trust' },
    ]);
  });

  it('answers the not-found of the first read when no agency has that name either', async () => {
    const read = await readHuaweiTarget(
      { provider: 'huawei', operation: 'detach-agency-policy', agency: 'no-such-agency' },
      context(),
    );
    expect(read.ok).toBe(false);
    expect(read.ok ? undefined : read.error.errorClass).toBe('already-gone');
    expect(actions()).toEqual(['ListAttachedAgencyPoliciesV5 404', 'ListAgenciesV5 200']);
  });
});
