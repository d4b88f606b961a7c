import { describe, expect, it } from 'vitest';
import { NonceCache } from '../../../../sandbox/alibaba/nonce-cache';

const WINDOW = 15 * 60_000;

describe('alibaba NonceCache', () => {
  it('refuses a nonce seen inside the window and accepts it once the window has passed', () => {
    const cache = new NonceCache(WINDOW);
    expect(cache.remember('k:n', 0, 0)).toBe(true);
    expect(cache.remember('k:n', 0, WINDOW - 1)).toBe(false);
    expect(cache.remember('k:n', 0, WINDOW)).toBe(true);
  });

  it('keeps a future-dated nonce until its own date has left the window', () => {
    const cache = new NonceCache(WINDOW);
    const signedAt = 10 * 60_000;
    expect(cache.remember('k:n', signedAt, 0)).toBe(true);
    expect(cache.remember('k:n', signedAt, signedAt + WINDOW - 1)).toBe(false);
  });

  it('stays within its capacity, dropping the oldest first', () => {
    const cache = new NonceCache(WINDOW, 50);
    for (let i = 0; i < 200; i++) cache.remember(`k:${i}`, 0, 0);
    expect(cache.size).toBeLessThanOrEqual(50);
    expect(cache.remember('k:199', 0, 0)).toBe(false);
    expect(cache.remember('k:0', 0, 0)).toBe(true);
  });

  it('sweeps expired entries as it grows', () => {
    const cache = new NonceCache(1_000);
    for (let i = 0; i < 999; i++) cache.remember(`old:${i}`, 0, 0);
    cache.remember('new', 5_000, 5_000);
    expect(cache.size).toBe(1);
  });
});
