import { createHash } from 'node:crypto';
import { paceGate } from '../../shared/engine/rate-limiter';
import { ALL_CLOUDS } from '../../shared/providers/all';
import { type AccountOf, callerAccounts } from '../../shared/providers/caller-identity';
import { listRateLimit } from '../../shared/providers/list-rate-limits';
import type { ListingLimits } from '../../shared/providers/listing';
import type { ProviderContext } from '../../shared/providers/types';
import type { Provider } from '../../shared/requests';
import type { StateStore } from '../../shared/state/types';

/** How long one list call may wait for its slot before the listing gives up on that cloud. */
const SLOT_WAIT_MS = 60_000;

export type ListPace = NonNullable<ListingLimits['pace']>;

/**
 * Paces a scan's list calls as the engine paces its detaches: each list API of each cloud account is a
 * limiter key in the shared state store (REMEDIATE_STATE), so scans running side by side, or on several
 * machines sharing Redis, stay under the API's limit together. The account is the cloud's caller identity,
 * asked once per cloud; when it cannot be read the calls are keyed by the access key instead (still paced,
 * shared only by scans using the same key).
 */
export function listPacer(
  store: StateStore,
  contextOf: (provider: Provider) => ProviderContext,
  rateOf: (provider: Provider, api: string) => number = listRateLimit,
  callerAccount: AccountOf = callerAccounts(ALL_CLOUDS),
): ListPace {
  const accounts = new Map<Provider, Promise<string>>();
  const accountOf = (provider: Provider): Promise<string> => {
    let account = accounts.get(provider);
    if (!account) {
      const context = contextOf(provider);
      account = callerAccount(provider, context).then((answer) =>
        answer.ok ? answer.account : `key-${digest(context.credentials.accessKeyId)}`,
      );
      accounts.set(provider, account);
    }
    return account;
  };
  return async (provider, api, call) => {
    const perSecond = rateOf(provider, api);
    const key = `limit:${provider}/list:${api}:${await accountOf(provider)}`;
    const gate = paceGate(store, key, perSecond, Date.now() + SLOT_WAIT_MS);
    // Wrapped, so that the answer's arrival is what the limiter records (the value is never undefined).
    const answered = await gate(async () => ({ value: await call() }));
    if (!answered)
      throw new Error(
        `${provider} ${api}: no call slot under ${perSecond}/s within ${SLOT_WAIT_MS / 1000} s`,
      );
    return answered.value;
  };
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);
