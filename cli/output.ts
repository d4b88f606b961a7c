import type { Outcome } from '../shared/outcomes';

/** One readable line (and its hint) for a person, or the outcome object as the last line for a program. */
export function printOutcome(outcome: Outcome, json: boolean): void {
  if (json) {
    console.log(JSON.stringify(outcome));
    return;
  }
  const reason = outcome.reason ? ` (${outcome.reason})` : '';
  const attempts = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}, ${outcome.durationMs} ms`;
  console.log(`${outcome.status}${reason}  ${outcome.operation}  ${outcome.target}  [${attempts}]`);
  if (outcome.replacedWith) console.log(`  replaced with the fallback policy ${outcome.replacedWith}`);
  if (outcome.error && outcome.status !== 'already-compliant') {
    console.log(`  ${outcome.error.provider} ${outcome.error.code}: ${outcome.error.message}`);
  }
  if (outcome.hint) console.log(`  ${outcome.hint}`);
}
