import { describe, expect, it } from 'vitest';
import { ClientCache } from '../../../shared/providers/client-cache';
import type { ProviderContext } from '../../../shared/providers/types';

const context = (secret: string, endpoint?: string): ProviderContext => ({
  credentials: { accessKeyId: 'id', accessKeySecret: secret },
  endpoint,
  timeoutMs: 10_000,
});

describe('ClientCache', () => {
  it('reuses one client for every call with one context and for equal contexts', () => {
    const made: URL[] = [];
    const cache = new ClientCache((_, endpoint) => {
      made.push(endpoint);
      return { endpoint };
    });
    const one = context('s1');
    const client = cache.get(one, 'https://api.example.com');
    expect(cache.get(one, 'https://api.example.com')).toBe(client);
    expect(cache.get(context('s1'), 'https://api.example.com')).toBe(client);
    expect(made.map((url) => url.host)).toEqual(['api.example.com']);
  });

  it('makes another client for other credentials, another endpoint or another default', () => {
    const cache = new ClientCache((_, endpoint) => ({ endpoint }));
    const one = context('s1');
    const client = cache.get(one, 'https://api.example.com');
    expect(cache.get(context('s2'), 'https://api.example.com')).not.toBe(client);
    expect(cache.get(context('s1', 'http://127.0.0.1:9'), 'https://api.example.com')).not.toBe(client);
    const other = cache.get(one, 'https://sts.example.com');
    expect(other).not.toBe(client);
    expect(other.endpoint.host).toBe('sts.example.com');
  });
});
