/** Dates as the Alibaba APIs write them: ISO 8601 in UTC, to the second. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
