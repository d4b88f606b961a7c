import type { RulesFile } from '../config/rules';
import type { Provider } from '../requests';
import type { StateStore } from '../state/types';
import type { Clock } from './clock';

export type Slot = { ok: true; giveBack: () => Promise<void> } | { ok: false; hint: string };

/**
 * The circuit breaker against mass changes: every mutating call takes a slot of a budget shared by every
 * instance (the state store counts them in a sliding window), one budget per kind of order (audit events,
 * explicit orders), cloud and account; `run --max N` adds an in-process cap that only tightens it.
 */
export class Breaker {
  /** Mutating calls this engine has made (for the per-run cap). */
  private taken = 0;

  constructor(
    private readonly store: StateStore,
    private readonly budgets: RulesFile['breaker'],
    private readonly clock: Clock,
    /** One run's cap (`run --max N`), in this process. */
    private readonly cap?: number,
  ) {}

  async take(provider: Provider, account: string, explicit: boolean): Promise<Slot> {
    const cap = this.cap;
    if (cap !== undefined && this.taken >= cap)
      return { ok: false, hint: `this run's cap of ${cap} mutating calls (--max ${cap}) is reached` };
    // Counted before the first await, so concurrent requests cannot all pass the check at once.
    this.taken++;
    const kind = explicit ? 'explicit' : 'audit';
    const { maxActions, window } = this.budgets[kind];
    const key = `breaker:${kind}:${provider}:${account}`;
    const at = this.clock.now();
    const counted = await this.store.tryCountInWindow(key, maxActions, window, at);
    if (!counted.allowed) {
      this.taken--;
      return {
        ok: false,
        hint: `circuit breaker open: the ${kind} budget of ${maxActions} mutating calls per ${window / 60_000} min is used up for ${provider} account ${account}`,
      };
    }
    return {
      ok: true,
      // A call that found nothing to change is not an action: its slot goes back to the budget.
      giveBack: async () => {
        this.taken--;
        await this.store.uncountInWindow(key, at);
      },
    };
  }
}
