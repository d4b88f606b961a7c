import type { AlibabaControlPolicy } from '../state';

/** Omitted in the seed: `All` for system policies (FullAliyunAccess), `RAM` for custom ones. */
export const effectScope = (p: AlibabaControlPolicy) =>
  p.effectScope ?? (p.type === 'System' ? 'All' : 'RAM');
