import { DetachAgencyPolicyReqBody } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyReqBody';
import { DetachAgencyPolicyV5Request } from '@huaweicloud/huaweicloud-sdk-iam/v5/model/DetachAgencyPolicyV5Request';
import { describe, expect, it, vi } from 'vitest';
import { huaweiClient } from '../../../../local/sdk-clients';
import { useSandbox } from '../../../helpers/sandbox';
import { CapturingLogger, quietHuaweiClient } from './sdk';
import { huaweiWorld, KEYS } from './world';

const sandbox = useSandbox(huaweiWorld);
const missingAttachment = new DetachAgencyPolicyV5Request('p-obs').withBody(
  new DetachAgencyPolicyReqBody('ag-ci'),
);

/** Runs `fn` with process.stdout.write captured (and kept off the test output). */
async function stdoutOf(fn: () => Promise<unknown>): Promise<string> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await fn().catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return written.join('');
}

describe('huawei SDK logging (a quirk the provider layer must handle)', () => {
  it('the builder-made client prints error responses to STDOUT with Authorization and X-Security-Token', async () => {
    const out = await stdoutOf(() =>
      huaweiClient(sandbox.current.url, KEYS.temporary).detachAgencyPolicyV5(missingAttachment),
    );
    expect(out).toContain('Some error found');
    expect(out).toContain('IAM.0004');
    expect(out).toContain(`'X-Security-Token': '${KEYS.temporary.token}'`);
    expect(out).toContain(`Access=${KEYS.temporary.accessKeyId}`);
    // The secret key itself never leaves the signer: only the HMAC made with it.
    expect(out).not.toContain(KEYS.temporary.secret);
  });

  it('a client built around DefaultHttpClient with ClientOptions.logger prints nothing', async () => {
    const logger = new CapturingLogger();
    const client = quietHuaweiClient(sandbox.current.url, KEYS.temporary, { logger });
    const out = await stdoutOf(() => client.detachAgencyPolicyV5(missingAttachment));
    expect(out).toBe('');
    expect(logger.lines.some((line) => line.startsWith('Some error found'))).toBe(true);
  });
});
