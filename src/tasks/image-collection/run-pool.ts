/**
 * Runs `work` over `items` with at most `concurrency` running at once and returns the results in
 * input order. The first failure (or an abort) stops new work from starting; the pool then waits
 * for the running ones to settle before rejecting, so that no child process or file write is
 * still going when the caller starts cleaning up.
 *
 * @example const rows = await runPool(images, 4, (image) => ingestImage(image), signal);
 */
export async function runPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && !signal?.aborted && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure) throw failure.error;
  signal?.throwIfAborted();
  return results;
}
