// The part of the EventBridge event-pattern language the descriptors use (Alibaba and Tencent share it):
// a field lists accepted values, each a literal or a `{ suffix }` / `{ prefix }` matcher; a nested object
// matches the nested field. Enough to check that a pattern lets the attach events through and nothing else.

type Matcher = string | number | boolean | { suffix?: string; prefix?: string };

function valueMatches(value: unknown, matcher: Matcher): boolean {
  if (typeof matcher !== 'object') return value === matcher;
  if (typeof value !== 'string') return false;
  if (matcher.suffix !== undefined && !value.endsWith(matcher.suffix)) return false;
  if (matcher.prefix !== undefined && !value.startsWith(matcher.prefix)) return false;
  return matcher.suffix !== undefined || matcher.prefix !== undefined;
}

export function eventMatches(pattern: Record<string, unknown>, event: Record<string, unknown>): boolean {
  return Object.entries(pattern).every(([field, condition]) => {
    const value = event[field];
    if (Array.isArray(condition)) return condition.some((m) => valueMatches(value, m as Matcher));
    if (condition !== null && typeof condition === 'object') {
      return (
        value !== null &&
        typeof value === 'object' &&
        eventMatches(condition as Record<string, unknown>, value as Record<string, unknown>)
      );
    }
    return valueMatches(value, condition as Matcher);
  });
}
