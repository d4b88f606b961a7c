import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../sandbox/rate-limiter';

describe('RateLimiter', () => {
  it('accepts at most the limit in any one-second window', () => {
    const limiter = new RateLimiter({ 'tencent:DetachPolicy': 20 });
    const take = (at: number) => limiter.tryTake('tencent', 'DetachPolicy', '100000000001', at);
    expect(Array.from({ length: 25 }, () => take(1_000)).filter(Boolean)).toHaveLength(20);
    expect(take(1_999)).toBe(false);
    expect(take(2_000)).toBe(true);
    // A steady caller offering 100/s for 3 s gets exactly 20 per sliding second, never a double burst.
    const accepted = Array.from({ length: 300 }, (_, i) => 5_000 + i * 10).filter((at) => take(at));
    for (const start of [5_000, 5_500, 6_000, 6_730]) {
      expect(accepted.filter((at) => at >= start && at < start + 1_000).length).toBeLessThanOrEqual(20);
    }
    expect(accepted).toHaveLength(60);
  });

  it('keeps a bucket per caller account and per action', () => {
    const limiter = new RateLimiter({ 'tencent:DetachPolicy': 1 });
    expect(limiter.tryTake('tencent', 'DetachPolicy', 'a', 0)).toBe(true);
    expect(limiter.tryTake('tencent', 'DetachPolicy', 'a', 0)).toBe(false);
    expect(limiter.tryTake('tencent', 'DetachPolicy', 'b', 0)).toBe(true);
    expect(limiter.tryTake('tencent', 'AttachPolicy', 'a', 0)).toBe(true);
  });

  it('applies a cloud-wide wildcard when no action limit is set', () => {
    const limiter = new RateLimiter({ 'alibaba:*': 1, 'alibaba:DetachPolicy': 3 });
    expect(limiter.tryTake('alibaba', 'AttachPolicy', 'a', 0)).toBe(true);
    expect(limiter.tryTake('alibaba', 'AttachPolicy', 'a', 0)).toBe(false);
    expect([0, 0, 0, 0].map(() => limiter.tryTake('alibaba', 'DetachPolicy', 'a', 0))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
