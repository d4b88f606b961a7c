import { createHash } from 'node:crypto';
import type { ProviderContext } from './types';

const MAX_CLIENTS = 32;

/**
 * SDK clients are created once per endpoint and credential set, then reused (connection pools, parsed
 * config). Keys hold a digest, never the secret; the cache is bounded because temporary credentials rotate.
 */
export class ClientCache<T> {
  private readonly clients = new Map<string, T>();
  /**
   * The client of a context object already seen: one invocation's context serves every message of its
   * batch, so the digest below is worked out once per invocation, not once per call (contexts are never
   * changed once made).
   */
  private readonly byContext = new WeakMap<ProviderContext, { defaultEndpoint: string; client: T }>();

  constructor(private readonly create: (context: ProviderContext, endpoint: URL) => T) {}

  get(context: ProviderContext, defaultEndpoint: string): T {
    const seen = this.byContext.get(context);
    if (seen?.defaultEndpoint === defaultEndpoint) return seen.client;
    const client = this.lookUp(context, defaultEndpoint);
    this.byContext.set(context, { defaultEndpoint, client });
    return client;
  }

  private lookUp(context: ProviderContext, defaultEndpoint: string): T {
    const endpoint = new URL(context.endpoint ?? defaultEndpoint);
    const { accessKeyId, accessKeySecret, securityToken } = context.credentials;
    const key = createHash('sha256')
      .update(
        [endpoint.href, accessKeyId, accessKeySecret, securityToken ?? '', context.timeoutMs].join('\n'),
      )
      .digest('hex');
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(context, endpoint);
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value as string);
      this.clients.set(key, client);
    }
    return client;
  }
}
