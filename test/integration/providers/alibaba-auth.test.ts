import { beforeEach, describe, expect, it } from 'vitest';
import { ALL_OPERATIONS } from '../../../shared/providers/all';
import type { Credentials } from '../../../shared/providers/types';
import type { RemediationRequest } from '../../../shared/requests';
import { useSandbox } from '../../helpers/sandbox';
import {
  accountState,
  alibabaProvidersWorld,
  deletePolicyRequest,
  detachControlPolicyRequest,
  detachPolicyRequest,
  directoryState,
  KEYS,
  run,
} from './alibaba-fixtures';

const sandbox = useSandbox(alibabaProvidersWorld);
const sb = () => sandbox.current;

beforeEach(() => sb().reset());

const REQUESTS: Array<[string, () => RemediationRequest, readonly string[]]> = [
  ['detach-policy', () => detachPolicyRequest(), ALL_OPERATIONS['alibaba/detach-policy'].permissions],
  [
    'detach-control-policy',
    () => detachControlPolicyRequest(),
    ALL_OPERATIONS['alibaba/detach-control-policy'].permissions,
  ],
  [
    'delete-policy',
    () => deletePolicyRequest({ policyName: 'versioned', cascade: true }),
    ALL_OPERATIONS['alibaba/delete-policy'].permissions,
  ],
];

const REFUSED: Array<[string, Credentials, string]> = [
  ['a wrong secret', { ...KEYS.readOnly, accessKeyId: 'sandbox' }, 'SignatureDoesNotMatch'],
  ['an unknown key', { accessKeyId: 'LTAI-unknown', accessKeySecret: 'x' }, 'InvalidAccessKeyId.NotFound'],
  [
    'an STS key with a wrong token',
    { ...KEYS.sts, securityToken: 'sts-token-0' },
    'InvalidSecurityToken.MismatchWithAccessKey',
  ],
  ['an STS key without its token', { ...KEYS.sts, securityToken: undefined }, 'MissingSecurityToken'],
  [
    'a permanent key sent with a token',
    { accessKeyId: 'sandbox', accessKeySecret: 'sandbox-secret', securityToken: 'sts-token-1' },
    'InvalidSecurityToken.MismatchWithAccessKey',
  ],
];

describe.each(REQUESTS)('alibaba %s: refused credentials', (_, request, permissions) => {
  it.each(REFUSED)(
    '%s → dead-lettered permission (%s), not retried, nothing applied',
    async (_, credentials, code) => {
      const before = structuredClone(accountState(sb()));
      const outcome = await run(sb(), request(), {}, credentials);
      expect(outcome).toMatchObject({
        status: 'dead-lettered',
        reason: 'permission',
        attempts: 1,
        error: { provider: 'alibaba', code },
      });
      expect(outcome.hint).toContain(code);
      for (const permission of permissions) expect(outcome.hint).toContain(permission);
      expect(sb().calls.totals()).toMatchObject({ total: 1, applied: 0 });
      expect(accountState(sb())).toEqual(before);
    },
  );

  it('the right STS token is accepted', async () => {
    const outcome = await run(sb(), request(), {}, KEYS.sts);
    expect(outcome.status).toMatch(/^(detached|deleted)$/);
    expect(
      sb()
        .calls.list()
        .every((c) => c.accessKeyId === KEYS.sts.accessKeyId),
    ).toBe(true);
    expect(sb().calls.totals().applied).toBeGreaterThan(0);
  });
});

describe('alibaba: a refused dry-run still mutates nothing', () => {
  it('dry-run with a wrong STS token → skipped with the read error in the hint', async () => {
    const outcome = await run(
      sb(),
      { ...detachControlPolicyRequest(), dryRun: true },
      {},
      { ...KEYS.sts, securityToken: 'sts-token-0' },
    );
    expect(outcome.status).toBe('skipped');
    expect(outcome.hint).toContain('InvalidSecurityToken.MismatchWithAccessKey');
    expect(sb().calls.totals().mutating).toBe(0);
    expect(directoryState(sb()).controlPolicyAttachments).toHaveLength(6);
  });
});
