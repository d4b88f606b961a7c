import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeRequest } from '../../../shared/engine/execute';
import { sandboxOptions } from '../../helpers/engine';
import { detachPolicyRequest } from './alibaba-fixtures';

/**
 * RAM's codes for a principal that does not exist (EntityNotExist.User / .Group / .Role). The sandbox
 * keeps no principal list, so a bare endpoint answers each as the POP gateway renders an error.
 */
let server: Server;
let code = 'EntityNotExist.User';

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ Code: code, Message: 'The specified principal does not exist.', RequestId: 'r-1' }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('alibaba detach-policy: a principal that does not exist', () => {
  it.each([
    ['EntityNotExist.User', 'IMSUser', 'user nobody@corp.onaliyun.com'],
    ['EntityNotExist.Group', 'IMSGroup', 'group nobody@corp.onaliyun.com'],
    ['EntityNotExist.Role', 'ServiceRole', 'role nobody@corp.onaliyun.com'],
  ] as const)('%s → already-compliant, missing "%s"', async (answer, principalType, missing) => {
    code = answer;
    const { port } = server.address() as AddressInfo;
    const outcome = await executeRequest(
      detachPolicyRequest({ principalType, principalName: 'nobody@corp.onaliyun.com' }),
      sandboxOptions(`http://127.0.0.1:${port}`),
    );
    expect(outcome).toMatchObject({ status: 'already-compliant', attempts: 1, error: { code: answer } });
    expect(outcome.missing).toBe(missing);
  });
});
