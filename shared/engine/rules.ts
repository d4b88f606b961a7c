import type { Exemption, Matcher, Rule, RulesFile } from '../config/rules';
import type { RemediationRequest } from '../requests';

/**
 * Globs over identifiers, not paths: `*` is any run of characters ('/' included, as in Huawei URNs),
 * `?` one character; everything else is literal.
 */
function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

const compiled = new Map<string, RegExp>();
function globMatches(pattern: string, value: string): boolean {
  let regexp = compiled.get(pattern);
  if (!regexp) {
    regexp = globToRegExp(pattern);
    compiled.set(pattern, regexp);
  }
  return regexp.test(value);
}

/** Every field named must match (one of) its values; a field the request lacks never matches. */
export function matches(matcher: Matcher, request: RemediationRequest): boolean {
  const fields = request as unknown as Record<string, unknown>;
  return Object.entries(matcher).every(([field, expected]) => {
    const actual = fields[field];
    if (actual === undefined) return false;
    const candidates = Array.isArray(expected) ? expected : [expected];
    return candidates.some((candidate) => globMatches(String(candidate), String(actual)));
  });
}

export function ruleMatches(rule: Rule, request: RemediationRequest): boolean {
  return (
    rule.provider === request.provider &&
    rule.operation === request.operation &&
    (rule.when === undefined || matches(rule.when, request)) &&
    (rule.unless === undefined || !matches(rule.unless, request))
  );
}

/** The first rule that selects the request: what audit events and scans act on. */
export function selectRule(file: RulesFile, request: RemediationRequest): Rule | undefined {
  return file.rules.find((rule) => ruleMatches(rule, request));
}

/** Exemptions last through their `expires` day (UTC). */
export function isExpired(exemption: Exemption, now: Date): boolean {
  return now.getTime() >= Date.parse(`${exemption.expires}T00:00:00Z`) + 24 * 3_600_000;
}

/**
 * The live exemption that covers the request, for every source: an exemption scoped to a rule covers
 * what that rule selects; an unscoped one covers every request its `when` matches.
 */
export function activeExemption(
  file: RulesFile,
  request: RemediationRequest,
  now: Date,
): Exemption | undefined {
  return file.exemptions.find((exemption) => {
    if (isExpired(exemption, now) || !matches(exemption.when, request)) return false;
    if (exemption.rule === undefined) return true;
    const rule = file.rules.find((r) => r.id === exemption.rule);
    return rule !== undefined && ruleMatches(rule, request);
  });
}

export function expiredExemptions(file: RulesFile, now: Date): Exemption[] {
  return file.exemptions.filter((exemption) => isExpired(exemption, now));
}
