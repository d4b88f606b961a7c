import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/config/environment';
import { MemoryStore } from '../../../shared/state/memory';
import { openStateStore } from '../../../shared/state/open';
import { describeStateStoreContract } from '../../contract/state-store.contract';

describeStateStoreContract('MemoryStore', () => new MemoryStore());

describe('MemoryStore', () => {
  it('hands out copies, so a caller cannot change a stored outcome or letter', async () => {
    const store = new MemoryStore();
    const outcome = { calls: ['a'] };
    await store.complete('k', 'a', outcome, 1_000, 0);
    outcome.calls.push('b');
    const first = await store.claim('k', 'b', 1_000, 1);
    if (first.kind === 'completed') (first.outcome as { calls: string[] }).calls.push('c');
    expect(await store.claim('k', 'b', 1_000, 2)).toEqual({ kind: 'completed', outcome: { calls: ['a'] } });
  });

  it('sweeps expired records once the maps have grown', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 5_000; i++) await store.rememberOnce(`k${i}`, 10, i);
    // Each sweep keeps only the last 10 ms of keys, so the map stays far below 5,000 entries.
    expect((store as unknown as { remembered: Map<string, unknown> }).remembered.size).toBeLessThan(2_100);
  });

  it('counts actions recorded out of time order in the window, each leaving it at its own time', async () => {
    const store = new MemoryStore();
    // Callers' clocks need not agree: an action may be recorded at a time before one already recorded.
    for (const at of [100, 50, 120, 50, 80]) await store.tryCountInWindow('b', 10, 100, at);
    await store.uncountInWindow('b', 120);
    expect(await store.tryCountInWindow('b', 10, 100, 149)).toEqual({ allowed: true, count: 5 });
    // At 160 the window is (60, 160]: both actions at 50 have left it; 80, 100 and 149 remain.
    expect(await store.tryCountInWindow('b', 4, 100, 160)).toEqual({ allowed: true, count: 4 });
    expect(await store.tryCountInWindow('b', 4, 100, 160)).toEqual({ allowed: false, count: 4 });
  });
});

describe('openStateStore', () => {
  it('opens a memory store', async () => {
    const store = openStateStore('memory');
    expect(store.kind).toBe('memory');
    await store.close();
  });

  it.each([
    ['', /REMEDIATE_STATE: must be memory, sqlite:PATH, redis:\/\/.*rediss:\/\/.*\(got: empty\)/],
    ['sqlite:', /got: starts with "sqlite:"/],
    ['postgres://user:secret@db/x', /got: starts with "postgres:"/],
    ['Memory', /got: unrecognised/],
    ['redis://', /REMEDIATE_STATE/],
  ])('refuses %j, naming REMEDIATE_STATE and the accepted forms', (spec, message) => {
    const attempt = () => openStateStore(spec);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    expect(attempt).not.toThrow(/secret/);
  });
});
