import { tencentError } from './errors';

/** Organization list calls page with `Rp` (page size) and `Page` (1-based), both documented as 1..200. */
export const PAGE_FIELDS = {
  Rp: { type: 'integer' },
  Page: { type: 'integer' },
} as const;

const DEFAULT_RP = 20;
const MAX_RP = 200;
const MAX_PAGE = 200;

export interface Page<T> {
  TotalNum: number;
  List: T[];
}

/** One page of `items`; a page past the end is empty while `TotalNum` still counts everything. */
export function pageOf<T>(items: readonly T[], rp = DEFAULT_RP, page = 1): Page<T> {
  if (rp < 1 || rp > MAX_RP) {
    throw tencentError(
      'InvalidParameterValue',
      `Rp must be greater than 0 and less than or equal to ${MAX_RP}.`,
    );
  }
  if (page < 1 || page > MAX_PAGE) {
    throw tencentError('InvalidParameterValue', `Page must start from 1 and cannot exceed ${MAX_PAGE}.`);
  }
  const start = (page - 1) * rp;
  return { TotalNum: items.length, List: items.slice(start, start + rp) };
}
