import { createHash } from 'node:crypto';
import type { Provider } from '../requests';
import type { Cloud } from './cloud';
import type { ProviderContext, ProviderError } from './types';

export type AccountResult = { ok: true; account: string } | { ok: false; error: ProviderError };
export type AccountOf = (provider: Provider, context: ProviderContext) => Promise<AccountResult>;

const MAX_ENTRIES = 256;

/**
 * The cloud account a context's credentials act in: what the platform said, or the cloud's caller-identity
 * answer, asked once per credential and endpoint and kept (a failed answer is not kept, so the next request
 * asks again). Cache keys are digests, never the secret.
 */
export function callerAccounts(clouds: readonly Cloud[]): AccountOf {
  const known = new Map<string, Promise<string>>();
  // A context's digest is worked out once: the requests of a batch share their invocation's context.
  const digests = new WeakMap<ProviderContext, { provider: Provider; key: string }>();
  const digestOf = (provider: Provider, context: ProviderContext): string => {
    const cached = digests.get(context);
    if (cached?.provider === provider) return cached.key;
    const { accessKeyId, accessKeySecret, securityToken } = context.credentials;
    const key = createHash('sha256')
      .update(
        [provider, context.endpoint ?? '', accessKeyId, accessKeySecret, securityToken ?? ''].join('\n'),
      )
      .digest('hex');
    digests.set(context, { provider, key });
    return key;
  };
  return async (provider, context) => {
    if (context.account) return { ok: true, account: context.account };
    const identity = clouds.find((cloud) => cloud.provider === provider)?.callerIdentity;
    // A request for a cloud this deployment does not carry never gets this far (it has no operation).
    if (!identity) throw new Error(`${provider}: not a cloud this deployment can reach`);
    const key = digestOf(provider, context);
    let answer = known.get(key);
    if (!answer) {
      answer = identity.ask(context);
      if (known.size >= MAX_ENTRIES) known.delete(known.keys().next().value as string);
      known.set(key, answer);
    }
    try {
      return { ok: true, account: await answer };
    } catch (error) {
      if (known.get(key) === answer) known.delete(key);
      return { ok: false, error: identity.error(error) };
    }
  };
}
