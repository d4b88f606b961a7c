import { afterAll, beforeAll } from 'vitest';
import { type Sandbox, startSandbox } from '../../sandbox/server';
import { emptyWorld, parseWorld, type WorldInput } from '../../sandbox/world';

/** Starts an in-process sandbox on a free port for the enclosing test file (or describe block). */
export function useSandbox(seed: () => WorldInput = emptyWorld): { current: Sandbox } {
  const holder = {} as { current: Sandbox };
  beforeAll(async () => {
    holder.current = await startSandbox({ seed: parseWorld(seed()) });
  });
  afterAll(async () => {
    await holder.current?.stop();
  });
  return holder;
}
