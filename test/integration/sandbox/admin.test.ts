import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../../sandbox/seeds';
import { emptyWorld } from '../../../sandbox/world';
import { useSandbox } from '../../helpers/sandbox';

const sandbox = useSandbox(() => loadSeed('demo'));

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sandbox.current.url}/_sandbox/${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('sandbox admin API', () => {
  it('reports health and the whole state', async () => {
    expect(await admin('GET', 'health')).toEqual({ status: 200, body: { ok: true } });
    const state = await admin('GET', 'state');
    expect(state.body).toHaveProperty('alibaba.defaultAccount', '1234567890123456');
    expect(state.body).toHaveProperty('tencent.organizations.0.orgId', 45155);
  });

  it('replaces the state, refusing an invalid one with the path of the bad field', async () => {
    const bad = await admin('PUT', 'state', {
      ...emptyWorld(),
      tencent: { defaultAccount: 1, organizations: [] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/tencent\.defaultAccount/);
    expect((await admin('GET', 'state')).body).toHaveProperty('tencent.organizations.0.orgId', 45155);

    expect((await admin('PUT', 'state', emptyWorld())).status).toBe(200);
    expect((await admin('GET', 'state')).body).toHaveProperty('tencent.organizations', []);

    expect((await admin('POST', 'reset')).status).toBe(200);
    expect((await admin('GET', 'state')).body).toHaveProperty('tencent.organizations.0.orgId', 45155);
  });

  it('sets faults from a spec or a config, and clears them', async () => {
    const set = await admin('PUT', 'faults', { spec: '5xx=0.25,latency=5,seed=9' });
    expect(set.body).toMatchObject({ rates: { '5xx': 0.25 }, latencyMs: [5, 5], seed: 9 });
    expect((await admin('PUT', 'faults', { rates: { hang: 2 } })).status).toBe(400);
    expect((await admin('PUT', 'faults', { spec: 'nonsense=1' })).body.error).toMatch(
      /unknown item 'nonsense'/,
    );
    expect((await admin('DELETE', 'faults')).body).toMatchObject({ rates: {} });
  });

  it('sets limits, validated', async () => {
    expect((await admin('PUT', 'limits', { 'alibaba:DetachPolicy': 5 })).body).toEqual({
      'alibaba:DetachPolicy': 5,
    });
    expect((await admin('PUT', 'limits', { 'aws:DetachPolicy': 5 })).status).toBe(400);
    await admin('POST', 'reset');
  });

  it('counts calls and lists them (empty after reset)', async () => {
    await admin('POST', 'reset');
    expect((await admin('GET', 'calls/count')).body).toEqual({
      total: 0,
      read: 0,
      mutating: 0,
      applied: 0,
      byAction: {},
    });
    expect((await admin('GET', 'calls')).body).toEqual({ calls: [] });
  });

  it('answers unknown admin routes and non-cloud requests with 404', async () => {
    expect((await admin('GET', 'nothing-here')).status).toBe(404);
    const response = await fetch(`${sandbox.current.url}/some/path`);
    expect(response.status).toBe(404);
  });
});
