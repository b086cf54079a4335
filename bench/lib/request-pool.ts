/**
 * Request bodies or paths made ahead of time, so the load generator measures the server and not
 * its own md5 signing. Past the prepared ones it makes fresh ones, so none ever repeats.
 */
export function preparedSequence<T>(make: (n: number) => T, prepared: number): () => T {
  const ready = Array.from({ length: prepared }, (_, n) => make(n));
  let next = 0;
  return () => {
    const n = next++;
    return n < ready.length ? ready[n] : make(n);
  };
}
