import type { RpcParams } from './params';

/** PageNumber from 1, PageSize 1–100 with a default of 10: the rule every paged Resource Manager list states. */
export function pageOf<T>(items: readonly T[], params: RpcParams) {
  const pageNumber = params.int('PageNumber', { min: 1, fallback: 1 });
  const pageSize = params.int('PageSize', { min: 1, max: 100, fallback: 10 });
  const start = (pageNumber - 1) * pageSize;
  return {
    PageNumber: pageNumber,
    PageSize: pageSize,
    TotalCount: items.length,
    items: items.slice(start, start + pageSize),
  };
}
