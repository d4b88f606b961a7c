import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRequest } from '../../../shared/engine/execute';
import { sandboxOptions } from '../../helpers/engine';
import { huaweiRequest } from './huawei-fixture';

/**
 * PAP5.0046: IAM v5 refuses an agency (assumed-role) token that has no x-user-profile. The sandbox
 * cannot answer it to our AK/SK client, so a bare endpoint answers it as IAM v5 does (error body of
 * the api-iam5 ErrorCode page, status 403).
 */
let server: Server;
let calls = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    calls += 1;
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ error_code: 'PAP5.0046', error_msg: 'missing x-user-profile', request_id: 'r-1' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('huawei: PAP5.0046 (an agency token without x-user-profile)', () => {
  it('is dead-lettered at once, with a hint that says which credentials to use instead', async () => {
    const { port } = server.address() as AddressInfo;
    const outcome = await executeRequest(
      huaweiRequest({ policyId: 'p-1', agencyId: 'a-1' }),
      sandboxOptions(`http://127.0.0.1:${port}`),
    );
    expect(outcome).toMatchObject({
      status: 'dead-lettered',
      reason: 'unknown-error',
      attempts: 1,
      error: { code: 'PAP5.0046', httpStatus: 403 },
    });
    expect(outcome.hint).toMatch(/agency token without x-user-profile/);
    expect(outcome.hint).toMatch(/temporary AK\/SK and security token/);
    expect(calls).toBe(1);
  });
});
