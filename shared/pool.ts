/**
 * Runs `work` on every item, at most `concurrency` at a time, taking items in order; resolves once every
 * started item is done. `stopped` is asked before each item is taken: once it answers true, no new item
 * starts (the ones in flight finish). `work` handles its own failures: a rejection here rejects the pool.
 */
export async function inPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stopped()) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
