import { createHash } from 'node:crypto';
import type { Provider } from '../requests';
import { CALLER_IDENTITIES } from './registry';
import type { CallerIdentity, ProviderContext, ProviderError } from './types';

export type AccountResult = { ok: true; account: string } | { ok: false; error: ProviderError };

function resolverFor(provider: Provider): CallerIdentity {
  const resolver = CALLER_IDENTITIES[provider];
  // A bundle holds one cloud's SDK; a request for another cloud never gets this far (no operation for it).
  if (!resolver) throw new Error(`${provider}: not a cloud this build can reach`);
  return resolver;
}

const MAX_ENTRIES = 256;
const known = new Map<string, Promise<string>>();

/**
 * The cloud account the context's credentials act in (DESIGN §3): what the platform said, or the cloud's
 * caller-identity answer, asked once per credential and endpoint and kept (a failed answer is not kept,
 * so the next request asks again). Cache keys are digests, never the secret.
 */
export async function callerAccount(provider: Provider, context: ProviderContext): Promise<AccountResult> {
  if (context.account) return { ok: true, account: context.account };
  const { accessKeyId, accessKeySecret, securityToken } = context.credentials;
  const key = createHash('sha256')
    .update([provider, context.endpoint ?? '', accessKeyId, accessKeySecret, securityToken ?? ''].join('\n'))
    .digest('hex');
  let answer = known.get(key);
  if (!answer) {
    answer = resolverFor(provider).ask(context);
    if (known.size >= MAX_ENTRIES) known.delete(known.keys().next().value as string);
    known.set(key, answer);
  }
  try {
    return { ok: true, account: await answer };
  } catch (error) {
    if (known.get(key) === answer) known.delete(key);
    return { ok: false, error: resolverFor(provider).error(error) };
  }
}
