/**
 * How many items may be in flight: a fixed number, or a number that follows the services (the run's `Pace`,
 * electron/connectors/pace.ts), read before each item is taken and never above its ceiling.
 */
export type InFlight = number | { readonly ceiling: number; allowed(): number };

/**
 * Runs `work` over `items` with at most `limit` in flight; stops taking new items once `stop()` is true. When the
 * limit follows the services, a lower one lets the items in flight finish and starts new ones only below it.
 * `letGo`: each item leaves the array once taken (the array keeps its length), so a run over a month's listing
 * does not hold every document until its last one is done.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: InFlight,
  work: (item: T, index: number) => Promise<void>,
  stop: () => boolean = () => false,
  letGo = false,
): Promise<void> {
  const ceiling = Math.max(1, typeof limit === 'number' ? limit : limit.ceiling);
  const allowed = typeof limit === 'number' ? () => ceiling : () => Math.max(1, Math.min(ceiling, limit.allowed()));
  let next = 0;
  let running = 0;
  let failure: unknown;
  // Workers waiting for the limit to let one more in: woken whenever an item finishes (one is always running).
  const waiting = new Set<() => void>();
  const worker = async () => {
    while (failure === undefined && !stop() && next < items.length) {
      if (running >= allowed()) {
        await new Promise<void>((resolve) => waiting.add(resolve));
        continue;
      }
      const index = next++;
      const item = items[index]!;
      if (letGo) (items as (T | undefined)[])[index] = undefined;
      running++;
      try {
        await work(item, index);
      } catch (error) {
        failure ??= error;
      } finally {
        running--;
        const woken = [...waiting];
        waiting.clear();
        for (const wake of woken) wake();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(ceiling, items.length) }, worker));
  if (failure !== undefined) throw failure;
}
