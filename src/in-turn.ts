/**
 * `run` over the values one after the other, the results in order: for work that must not run
 * side by side (each step would take one of libuv's few threads, or needs the one before done).
 */
export async function inTurn<V, R>(values: readonly V[], run: (value: V, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i++) out.push(await run(values[i]!, i));
  return out;
}
