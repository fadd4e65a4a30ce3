const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `work` after every earlier `work` with the same key has finished, so read-modify-write
 * changes of one service definition (addToDefinition racing updateDefinition) never interleave.
 *
 * @example await withKeyedLock(`service:${name}`, () => addToServiceDefinition(...));
 */
export async function withKeyedLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(work);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
