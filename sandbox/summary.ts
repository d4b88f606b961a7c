import { ALL_CLOUDS } from './clouds';
import type { CloudState } from './types';
import type { World } from './world';

/** A few readable lines per cloud: what a person needs to see to know what the sandbox holds. */
export function summarizeWorld(world: World): string[] {
  const states = world as unknown as Record<string, CloudState | undefined>;
  return ALL_CLOUDS.flatMap((cloud) => {
    const state = states[cloud.name];
    return state ? cloud.summarize(state) : [];
  });
}
