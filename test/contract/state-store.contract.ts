import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateStore, StoredDeadLetter } from '../../shared/state/types';

/**
 * The behaviour every StateStore backend must share (docs/ARCHITECTURE.md, Safety), run by each backend's
 * test file. Time is driven through `now`; durations stay at a minute or more because Redis also expires keys
 * on its own clock.
 */
export function describeStateStoreContract(name: string, open: () => StateStore | Promise<StateStore>): void {
  describe(`${name} (StateStore contract)`, () => {
    const T0 = 1_700_000_000_000;
    const MINUTE = 60_000;
    let store: StateStore;

    beforeEach(async () => {
      store = await open();
      await store.clear();
    });
    afterEach(async () => {
      await store.clear();
      await store.close();
    });

    describe('claim / complete / release', () => {
      it('grants a fresh key until the lease ends, to nobody else, the owner included', async () => {
        expect(await store.claim('k', 'a', MINUTE, T0)).toEqual({
          kind: 'claimed',
          leaseExpiresAt: T0 + MINUTE,
        });
        const busy = { kind: 'in-progress', leaseExpiresAt: T0 + MINUTE };
        expect(await store.claim('k', 'b', MINUTE, T0 + 1)).toEqual(busy);
        expect(await store.claim('k', 'a', MINUTE, T0 + MINUTE - 1)).toEqual(busy);
        expect(await store.claim('other', 'b', MINUTE, T0)).toMatchObject({ kind: 'claimed' });
      });

      it('lets anyone claim a key whose lease expired (crash recovery)', async () => {
        await store.claim('k', 'a', MINUTE, T0);
        const later = T0 + MINUTE;
        expect(await store.claim('k', 'b', MINUTE, later)).toEqual({
          kind: 'claimed',
          leaseExpiresAt: later + MINUTE,
        });
        expect(await store.claim('k', 'a', MINUTE, later + 1)).toMatchObject({ kind: 'in-progress' });
      });

      it('answers the stored outcome of a completed key until its ttl, then forgets it', async () => {
        const outcome = { status: 'remediated', calls: [1, 2], note: 'ü ✓', none: null };
        await store.claim('k', 'a', MINUTE, T0);
        await store.complete('k', 'a', outcome, 10 * MINUTE, T0 + 5);
        for (const [owner, at] of [
          ['b', T0 + 6],
          ['a', T0 + 10 * MINUTE + 4],
        ] as const) {
          expect(await store.claim('k', owner, MINUTE, at)).toEqual({ kind: 'completed', outcome });
        }
        await store.release('k', 'a');
        expect(await store.claim('k', 'b', MINUTE, T0 + 7)).toEqual({ kind: 'completed', outcome });
        expect(await store.claim('k', 'b', MINUTE, T0 + 10 * MINUTE + 5)).toMatchObject({ kind: 'claimed' });
      });

      it('keeps the first outcome when a key is completed twice', async () => {
        await store.claim('k', 'a', MINUTE, T0);
        await store.complete('k', 'a', 'first', MINUTE, T0);
        await store.complete('k', 'a', 'second', MINUTE, T0 + 1);
        await store.complete('k', 'b', 'third', MINUTE, T0 + 2);
        expect(await store.claim('k', 'c', MINUTE, T0 + 3)).toEqual({ kind: 'completed', outcome: 'first' });
      });

      it('records an outcome even after the lease lapsed and another owner claimed (the action happened)', async () => {
        await store.claim('k', 'a', MINUTE, T0);
        await store.claim('k', 'b', MINUTE, T0 + MINUTE);
        await store.complete('k', 'a', 'by a', MINUTE, T0 + MINUTE + 1);
        await store.complete('k', 'b', 'by b', MINUTE, T0 + MINUTE + 2);
        expect(await store.claim('k', 'c', MINUTE, T0 + MINUTE + 3)).toEqual({
          kind: 'completed',
          outcome: 'by a',
        });
      });

      it('stores undefined as null, and completes a key that was never claimed', async () => {
        await store.complete('k', 'a', undefined, MINUTE, T0);
        expect(await store.claim('k', 'b', MINUTE, T0)).toEqual({ kind: 'completed', outcome: null });
      });

      it('releases only an in-progress claim of the same owner', async () => {
        await store.claim('k', 'a', MINUTE, T0);
        await store.release('k', 'b');
        expect(await store.claim('k', 'b', MINUTE, T0 + 1)).toMatchObject({ kind: 'in-progress' });
        await store.release('k', 'a');
        expect(await store.claim('k', 'b', MINUTE, T0 + 2)).toMatchObject({ kind: 'claimed' });
        await store.complete('k', 'b', 'done', MINUTE, T0 + 3);
        await store.release('k', 'b');
        expect(await store.claim('k', 'c', MINUTE, T0 + 4)).toEqual({ kind: 'completed', outcome: 'done' });
        await store.release('missing', 'a');
      });

      it('forgets a key whatever its state, so it can be claimed anew', async () => {
        await store.claim('k', 'a', MINUTE, T0);
        await store.complete('k', 'a', 'dead-lettered', MINUTE, T0 + 1);
        await store.forget('k');
        expect(await store.claim('k', 'b', MINUTE, T0 + 2)).toMatchObject({ kind: 'claimed' });
        await store.forget('k');
        expect(await store.claim('k', 'c', MINUTE, T0 + 3)).toMatchObject({ kind: 'claimed' });
        await store.forget('missing');
      });

      it('grants exactly one of 50 concurrent claims of one key', async () => {
        const owners = Array.from({ length: 50 }, (_, i) => `owner-${i}`);
        const results = await Promise.all(owners.map((owner) => store.claim('hot', owner, MINUTE, T0)));
        expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
        expect(results.filter((r) => r.kind === 'in-progress')).toHaveLength(49);
      });
    });

    describe('rememberOnce', () => {
      it('is true once, then false until the ttl has passed', async () => {
        expect(await store.rememberOnce('k', MINUTE, T0)).toBe(true);
        expect(await store.rememberOnce('k', MINUTE, T0 + MINUTE - 1)).toBe(false);
        expect(await store.rememberOnce('k', MINUTE, T0 + MINUTE)).toBe(true);
        expect(await store.rememberOnce('k', MINUTE, T0 + MINUTE + 1)).toBe(false);
      });

      it('is a namespace of its own, and true for exactly one of 20 concurrent callers', async () => {
        await store.claim('k', 'a', MINUTE, T0);
        expect(await store.rememberOnce('k', MINUTE, T0)).toBe(true);
        const results = await Promise.all(
          Array.from({ length: 20 }, () => store.rememberOnce('hot', MINUTE, T0)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('dead letters', () => {
      const letter = (id: string, createdAt: number, record: unknown = { id }): StoredDeadLetter => ({
        id,
        createdAt,
        record,
      });

      it('stores, lists oldest first (ties by id) up to a limit, gets, counts and deletes', async () => {
        for (const l of [letter('c', 30), letter('b', 10), letter('a', 20), letter('a2', 20)])
          await store.putDeadLetter(l);
        expect((await store.listDeadLetters(10)).map((l) => l.id)).toEqual(['b', 'a', 'a2', 'c']);
        expect((await store.listDeadLetters(2)).map((l) => l.id)).toEqual(['b', 'a']);
        expect(await store.listDeadLetters(0)).toEqual([]);
        expect(await store.getDeadLetter('a')).toEqual(letter('a', 20));
        expect(await store.getDeadLetter('zz')).toBeUndefined();
        expect(await store.countDeadLetters()).toBe(4);
        expect(await store.deleteDeadLetter('a')).toBe(true);
        expect(await store.deleteDeadLetter('a')).toBe(false);
        expect((await store.listDeadLetters(10)).map((l) => l.id)).toEqual(['b', 'a2', 'c']);
        expect(await store.countDeadLetters()).toBe(3);
      });

      it('replaces a letter stored again under the same id', async () => {
        await store.putDeadLetter(letter('a', 10, { attempts: 1 }));
        await store.putDeadLetter(letter('a', 40, { attempts: 2, nested: { list: ['x'] } }));
        expect(await store.countDeadLetters()).toBe(1);
        expect(await store.listDeadLetters(5)).toEqual([
          letter('a', 40, { attempts: 2, nested: { list: ['x'] } }),
        ]);
      });
    });

    describe('tryCountInWindow (circuit breaker)', () => {
      it('allows `limit` actions in any window (now - windowMs, now] and does not count refusals', async () => {
        const at = (ms: number) => store.tryCountInWindow('acct', 3, MINUTE, T0 + ms);
        expect(await at(0)).toEqual({ allowed: true, count: 1 });
        expect(await at(10)).toEqual({ allowed: true, count: 2 });
        expect(await at(20)).toEqual({ allowed: true, count: 3 });
        expect(await at(30)).toEqual({ allowed: false, count: 3 });
        expect(await at(MINUTE - 1)).toEqual({ allowed: false, count: 3 });
        expect(await at(MINUTE)).toEqual({ allowed: true, count: 3 }); // the action at 0 left the window
        expect(await at(MINUTE + 5)).toEqual({ allowed: false, count: 3 });
        expect(await at(MINUTE + 20)).toEqual({ allowed: true, count: 2 });
        expect(await store.tryCountInWindow('other', 3, MINUTE, T0 + MINUTE)).toEqual({
          allowed: true,
          count: 1,
        });
      });

      it('stays exact under concurrency, same millisecond included', async () => {
        const calls = Array.from({ length: 30 }, () => store.tryCountInWindow('acct', 10, MINUTE, T0));
        const results = await Promise.all(calls);
        const allowed = results.filter((r) => r.allowed);
        expect(allowed).toHaveLength(10);
        expect(allowed.map((r) => r.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      });
    });

    describe('reserveSlot (GCRA)', () => {
      it('spaces slots intervalMs apart, restarts from now when idle, refuses past maxWaitMs', async () => {
        const reserve = (ms: number) => store.reserveSlot('api', 100, 300, T0 + ms);
        expect([await reserve(0), await reserve(0), await reserve(10), await reserve(20)]).toEqual([
          T0,
          T0 + 100,
          T0 + 200,
          T0 + 300,
        ]);
        expect(await reserve(40)).toBeUndefined(); // 400 - 40 > 300, and nothing reserved:
        expect(await reserve(150)).toBe(T0 + 400);
        expect(await reserve(10_000)).toBe(T0 + 10_000);
        expect(await store.reserveSlot('other', 100, 300, T0)).toBe(T0);
      });

      it('keeps fractional intervals exact', async () => {
        const slots = [];
        for (let i = 0; i < 3; i++) slots.push(await store.reserveSlot('api', 1000 / 3, MINUTE, T0));
        expect(slots).toEqual([T0, T0 + 1000 / 3, T0 + 1000 / 3 + 1000 / 3]);
      });

      it('gives 100 concurrent callers 100 distinct slots intervalMs apart', async () => {
        const calls = Array.from({ length: 100 }, () => store.reserveSlot('api', 50, MINUTE, T0));
        const slots = (await Promise.all(calls)).map(Number).sort((a, b) => a - b);
        expect(slots).toEqual(Array.from({ length: 100 }, (_, i) => T0 + 50 * i));
      });
    });

    describe('trySendInWindow (limiter sends)', () => {
      it('records up to limit sends in (now - windowMs, now], then answers when the window has room', async () => {
        const send = (ms: number) => store.trySendInWindow('api:sent', 2, 1_000, T0 + ms);
        expect(await send(0)).toMatchObject({ allowed: true });
        expect(await send(300)).toMatchObject({ allowed: true });
        // Full: room again when the send at T0 leaves the window, at T0 + 1000 (the window is open at its start).
        expect(await send(999)).toEqual({ allowed: false, retryAt: T0 + 1_000 });
        expect(await send(1_000)).toMatchObject({ allowed: true });
        // A refused send was not recorded: the window holds T0 + 300 and T0 + 1000.
        expect(await send(1_299)).toEqual({ allowed: false, retryAt: T0 + 1_300 });
        expect(await store.trySendInWindow('other:sent', 2, 1_000, T0 + 999)).toMatchObject({
          allowed: true,
        });
      });

      it('counts a send held in the future until it is moved to its real time', async () => {
        const held = await store.trySendInWindow('api:sent', 2, 1_000, T0, T0 + 10_000);
        if (!held.allowed) throw new Error('the first send must be allowed');
        expect(await store.trySendInWindow('api:sent', 2, 1_000, T0 + 5)).toMatchObject({ allowed: true });
        // Long after the send at T0 + 5 left, the held one still counts: it leaves only at T0 + 11000.
        expect(await store.trySendInWindow('api:sent', 1, 1_000, T0 + 2_000)).toEqual({
          allowed: false,
          retryAt: T0 + 11_000,
        });
        await store.retimeSend('api:sent', held.id, T0 + 40, 1_000);
        expect(await store.trySendInWindow('api:sent', 1, 1_000, T0 + 1_039)).toEqual({
          allowed: false,
          retryAt: T0 + 1_040,
        });
        expect(await store.trySendInWindow('api:sent', 1, 1_000, T0 + 1_040)).toMatchObject({
          allowed: true,
        });
      });

      it('gives each recorded send its own id; moving a send no longer recorded changes nothing', async () => {
        const a = await store.trySendInWindow('api:sent', 3, 1_000, T0);
        const b = await store.trySendInWindow('api:sent', 3, 1_000, T0);
        if (!a.allowed || !b.allowed) throw new Error('both sends must be allowed');
        expect(a.id).not.toBe(b.id);
        await store.retimeSend('api:sent', a.id, T0 + 500, 1_000);
        await store.retimeSend('other:sent', b.id, T0 + 900, 1_000); // another key's: b stays at T0
        expect(await store.trySendInWindow('api:sent', 1, 1_000, T0 + 999)).toEqual({
          allowed: false,
          retryAt: T0 + 1_500,
        });
        expect(await store.trySendInWindow('api:sent', 2, 1_000, T0 + 999)).toEqual({
          allowed: false,
          retryAt: T0 + 1_000,
        });
        await store.clear();
        await store.retimeSend('api:sent', a.id, T0 + 600, 1_000);
        expect(await store.trySendInWindow('api:sent', 1, 1_000, T0 + 601)).toMatchObject({ allowed: true });
      });

      it('answers the limit-th newest send when sends arrived out of order', async () => {
        for (const ms of [500, 100, 300]) await store.trySendInWindow('api:sent', 3, 1_000, T0 + ms);
        expect(await store.trySendInWindow('api:sent', 3, 1_000, T0 + 600)).toEqual({
          allowed: false,
          retryAt: T0 + 1_100,
        });
      });

      it('stays exact under concurrency, same millisecond included', async () => {
        const calls = Array.from({ length: 30 }, () => store.trySendInWindow('api:sent', 10, MINUTE, T0));
        const results = await Promise.all(calls);
        expect(results.filter((r) => r.allowed)).toHaveLength(10);
        expect(results.filter((r) => !r.allowed)).toEqual(
          Array(20).fill({ allowed: false, retryAt: T0 + MINUTE }),
        );
      });

      it('is counted apart from the breaker', async () => {
        expect(await store.tryCountInWindow('k', 1, MINUTE, T0)).toEqual({ allowed: true, count: 1 });
        expect(await store.trySendInWindow('k', 1, MINUTE, T0)).toMatchObject({ allowed: true });
      });
    });

    it('holds every expiry boundary while many other records expired at the same time', async () => {
      // Stores that purge expired rows in bounded batches must still judge a row left unpurged correctly.
      for (let i = 0; i < 100; i++) {
        const key = `old-${String(i).padStart(3, '0')}`;
        await store.claim(key, 'a', MINUTE, T0 - 1);
        await store.rememberOnce(key, MINUTE, T0 - 1);
        await store.tryCountInWindow(key, 1, MINUTE, T0 - 1);
        await store.reserveSlot(key, 1, 0, T0 - 1);
      }
      await store.claim('k', 'a', MINUTE, T0);
      await store.rememberOnce('k', MINUTE, T0);
      await store.tryCountInWindow('k', 1, MINUTE, T0);
      await store.reserveSlot('k', 10, 0, T0);
      await store.trySendInWindow('k:sent', 1, MINUTE, T0);
      const end = T0 + MINUTE;
      expect(await store.claim('k', 'b', MINUTE, end)).toEqual({
        kind: 'claimed',
        leaseExpiresAt: end + MINUTE,
      });
      expect(await store.rememberOnce('k', MINUTE, end)).toBe(true);
      expect(await store.tryCountInWindow('k', 1, MINUTE, end)).toEqual({ allowed: true, count: 1 });
      expect(await store.reserveSlot('k', 10, 0, end)).toBe(end);
      expect(await store.trySendInWindow('k:sent', 1, MINUTE, end)).toMatchObject({ allowed: true });
    });

    it('clear removes everything', async () => {
      await store.claim('k', 'a', MINUTE, T0);
      await store.rememberOnce('k', MINUTE, T0);
      await store.putDeadLetter({ id: 'd', createdAt: T0, record: {} });
      await store.tryCountInWindow('acct', 1, MINUTE, T0);
      await store.reserveSlot('api', MINUTE, 0, T0);
      await store.trySendInWindow('api:sent', 1, MINUTE, T0);
      await store.clear();
      expect(await store.claim('k', 'b', MINUTE, T0)).toMatchObject({ kind: 'claimed' });
      expect(await store.rememberOnce('k', MINUTE, T0)).toBe(true);
      expect(await store.countDeadLetters()).toBe(0);
      expect(await store.tryCountInWindow('acct', 1, MINUTE, T0)).toEqual({ allowed: true, count: 1 });
      expect(await store.reserveSlot('api', MINUTE, 0, T0)).toBe(T0);
      expect(await store.trySendInWindow('api:sent', 1, MINUTE, T0)).toMatchObject({ allowed: true });
    });
  });
}
