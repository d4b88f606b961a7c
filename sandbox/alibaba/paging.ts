/** The page the parsed `PageNumber`/`PageSize` (api.ts, PAGE_FIELDS) select, with the list's page fields. */
export function pageOf<T>(items: readonly T[], page: { PageNumber: number; PageSize: number }) {
  const start = (page.PageNumber - 1) * page.PageSize;
  return {
    PageNumber: page.PageNumber,
    PageSize: page.PageSize,
    TotalCount: items.length,
    items: items.slice(start, start + page.PageSize),
  };
}
