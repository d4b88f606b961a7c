import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaultSpec } from '../../../sandbox/faults';

describe('parseFaultSpec', () => {
  it('reads rates, latency range, seed and scope', () => {
    const config = parseFaultSpec(
      '5xx=0.1, throttle=0.05,drop-after=0.01,latency=20-80,seed=7,cloud=tencent,actions=DetachPolicy+AttachPolicy,mutating-only',
    );
    expect(config).toMatchObject({
      rates: { '5xx': 0.1, throttle: 0.05, 'drop-after': 0.01 },
      latencyMs: [20, 80],
      seed: 7,
      clouds: ['tencent'],
      actions: ['DetachPolicy', 'AttachPolicy'],
      mutatingOnly: true,
    });
  });

  it('takes ConcurrentCallNotSupported, the Resource Directory fault, by its vendor code', () => {
    expect(parseFaultSpec('ConcurrentCallNotSupported=0.5').rates).toEqual({
      ConcurrentCallNotSupported: 0.5,
    });
  });

  it.each([
    ['bogus=1', /unknown item 'bogus'/],
    ['5xx=lots', /'5xx' needs a number/],
    ['5xx=1.5', /rates\.5xx/],
    ['5xx=0.6,throttle=0.6', /add up to more than 1/],
    ['latency=90-10', /latency min exceeds max/],
    ['cloud=aws', /clouds/],
  ])('rejects %s naming what is wrong', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});

describe('FaultInjector', () => {
  const draw = (injector: FaultInjector, n: number) =>
    Array.from({ length: n }, () => injector.decide('alibaba', 'DetachPolicy', true).kind ?? 'none');

  it('is deterministic for a seed and follows the configured rates', () => {
    const spec = parseFaultSpec('5xx=0.2,throttle=0.1,seed=42');
    const first = draw(new FaultInjector(spec), 5000);
    expect(draw(new FaultInjector(spec), 5000)).toEqual(first);
    const share = (kind: string) => first.filter((k) => k === kind).length / first.length;
    expect(share('5xx')).toBeGreaterThan(0.17);
    expect(share('5xx')).toBeLessThan(0.23);
    expect(share('throttle')).toBeGreaterThan(0.08);
    expect(share('throttle')).toBeLessThan(0.12);
    expect(draw(new FaultInjector(parseFaultSpec('5xx=0.2,throttle=0.1,seed=43')), 5000)).not.toEqual(first);
  });

  it('only hits the clouds, actions and kinds of call it is scoped to', () => {
    const injector = new FaultInjector(
      parseFaultSpec('5xx=1,cloud=tencent,actions=DetachPolicy,mutating-only'),
    );
    expect(injector.decide('alibaba', 'DetachPolicy', true).kind).toBeUndefined();
    expect(injector.decide('tencent', 'ListPoliciesForTarget', false).kind).toBeUndefined();
    expect(injector.decide('tencent', 'DetachPolicy', false).kind).toBeUndefined();
    expect(injector.decide('tencent', 'DetachPolicy', true).kind).toBe('5xx');
  });

  it('draws latency within the range', () => {
    const injector = new FaultInjector(parseFaultSpec('latency=10-20'));
    for (let i = 0; i < 100; i++) {
      const { latencyMs } = injector.decide('huawei', 'DetachAgencyPolicyV5', true);
      expect(latencyMs).toBeGreaterThanOrEqual(10);
      expect(latencyMs).toBeLessThanOrEqual(20);
    }
  });
});
