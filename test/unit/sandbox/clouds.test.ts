import { describe, expect, it } from 'vitest';
import { ALL_CLOUDS, CLOUDS } from '../../../sandbox/clouds';
import { emptyWorld, worldSchema } from '../../../sandbox/world';

describe('sandbox clouds', () => {
  it('the one list names each cloud once, and the world has a section for each', () => {
    expect(new Set(CLOUDS).size).toBe(CLOUDS.length);
    expect(Object.keys(worldSchema.shape)).toEqual(['keys', 'limits', ...CLOUDS]);
    expect(Object.keys(emptyWorld())).toEqual(['keys', 'limits', ...CLOUDS]);
  });

  it.each(ALL_CLOUDS.map((cloud) => [cloud.name, cloud] as const))(
    '%s: its dialects serve its state, and each API is declared once',
    (name, cloud) => {
      for (const dialect of cloud.dialects) {
        expect(dialect.cloud).toBe(name);
        const actions = dialect.apis.map((api) => api.action);
        expect(new Set(actions).size).toBe(actions.length);
        // A dialect routes either by path (REST) or by action (RPC), never a mix of the two.
        const paths = dialect.apis.filter((api) => api.path !== undefined);
        expect([0, dialect.apis.length]).toContain(paths.length);
        for (const api of dialect.apis) expect(api.permission).toMatch(/^[a-z-]+:/);
      }
    },
  );
});
