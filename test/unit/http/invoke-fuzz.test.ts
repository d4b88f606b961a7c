import fc from 'fast-check';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../../sandbox/seeds';
import { EMPTY_RULES } from '../../../shared/config/rules';
import { Engine } from '../../../shared/engine/engine';
import { parseAlibabaHttp } from '../../../shared/events/alibaba/http';
import { parseHuaweiHttp } from '../../../shared/events/huawei/http';
import { parseTencentHttp } from '../../../shared/events/tencent/http';
import { handleInvoke } from '../../../shared/http/invoke';
import { signBody } from '../../../shared/http/signature';
import { ALL_CLOUDS } from '../../../shared/providers/all';
import { parseRequest } from '../../../shared/requests';
import { MemoryStore } from '../../../shared/state/memory';
import { FAST_RETRIES, SANDBOX_CREDENTIALS } from '../../helpers/engine';
import { useSandbox } from '../../helpers/sandbox';

const SECRET = 'fuzz-secret-0123456789abcdef';
const sandbox = useSandbox(() => loadSeed('demo'));

function invoke(body: string, sign: boolean) {
  const store = new MemoryStore();
  const engine = new Engine({
    clouds: ALL_CLOUDS,
    store,
    rules: EMPTY_RULES,
    logger: pino({ level: 'silent' }),
    dryRun: false,
    retryPolicies: FAST_RETRIES,
  });
  const headers: Record<string, string> = sign
    ? { 'x-remediate-signature': signBody(SECRET, body, Math.floor(Date.now() / 1000)) }
    : {};
  return handleInvoke(
    { method: 'POST', path: '/', headers, body },
    {
      engine,
      store,
      secret: SECRET,
      deadline: Date.now() + 5_000,
      context: { credentials: SANDBOX_CREDENTIALS, endpoint: sandbox.current.url, timeoutMs: 2_000 },
      onPlatform: true,
    },
  );
}

// Bodies a hostile or broken client may send: any JSON, request-shaped objects with wrong types and odd
// characters, truncated JSON, and text with control and non-BMP characters.
const requestish = fc.record(
  {
    provider: fc.oneof(fc.constantFrom('alibaba', 'tencent', 'huawei'), fc.string()),
    operation: fc.oneof(
      fc.constantFrom('detach-policy', 'detach-control-policy', 'delete-policy', 'detach-agency-policy'),
      fc.string(),
    ),
    policyId: fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer(), fc.constant(null)),
    targetId: fc.oneof(fc.string({ unit: 'binary' }), fc.double()),
    agencyId: fc.string({ unit: 'binary' }),
    policyName: fc.string({ unit: 'grapheme' }),
  },
  { requiredKeys: [] },
);
const bodies = fc.oneof(
  fc.json(),
  fc
    .record(
      { requests: fc.array(requestish, { maxLength: 4 }), dryRun: fc.oneof(fc.boolean(), fc.string()) },
      { requiredKeys: ['requests'] },
    )
    .map((b) => JSON.stringify(b)),
  fc.string({ unit: 'binary' }),
  fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1))),
);

describe('http-invoke under fuzzed bodies', () => {
  it('answers every signed body with 200 or 400, and calls the cloud only for valid requests', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const before = sandbox.current.calls.totals().total;
        const reply = await invoke(body, true);
        expect([200, 400]).toContain(reply.statusCode);
        expect(() => JSON.parse(reply.body)).not.toThrow();
        if (reply.statusCode !== 200) expect(sandbox.current.calls.totals().total).toBe(before);
        else {
          const items = (JSON.parse(body) as { requests: unknown[] }).requests;
          for (const item of items) expect(parseRequest(item).ok).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses every unsigned body with 401 and no call', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const before = sandbox.current.calls.totals().total;
        expect((await invoke(body, false)).statusCode).toBe(401);
        expect(sandbox.current.calls.totals().total).toBe(before);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses an oversized body with 413 before any work', async () => {
    const body = JSON.stringify({ requests: [{ provider: 'x'.repeat(300 * 1024) }] });
    expect((await invoke(body, true)).statusCode).toBe(413);
  });

  it.each([
    ['alibaba', parseAlibabaHttp, { requestContext: { http: { method: 'POST' } } }],
    ['tencent', parseTencentHttp, { httpMethod: 'POST' }],
    ['huawei', parseHuaweiHttp, { httpMethod: 'POST', path: '/' }],
  ] as const)(
    '%s: a trigger event carrying a 12 MB base64 body is read, and the body refused with 413',
    async (_cloud, parse, shape) => {
      // Issue 11 defect 4: a strict regex over the whole text overflowed the stack from about 4.5 MB.
      const raw = JSON.stringify({ requests: [{ provider: 'x'.repeat(9 * 1024 * 1024) }] });
      const event = { ...shape, body: Buffer.from(raw).toString('base64'), isBase64Encoded: true };
      const http = parse(event);
      expect(http.body.length).toBe(raw.length);
      expect((await invoke(http.body, true)).statusCode).toBe(413);
    },
  );
});
