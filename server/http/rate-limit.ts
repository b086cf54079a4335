/** A token bucket per key (the client address), for public order creation. */

interface Bucket {
  tokens: number;
  updated: number;
}

export interface RateLimitOptions {
  perMinute: number;
  /**
   * Milliseconds from a monotonic clock (default performance.now): the wall clock can step back or
   * forward (NTP, a restored VM), which would refuse every client for as long as the step.
   */
  now?: () => number;
}

/**
 * Returns `take(key)`: takes a token from the key's bucket and answers 0, or, with the bucket
 * empty, answers the whole seconds until the next token (at least 1: what Retry-After says).
 */
export function rateLimiter(options: RateLimitOptions): (key: string) => number {
  const buckets = new Map<string, Bucket>();
  const now = options.now ?? (() => performance.now());
  const capacity = options.perMinute;
  const refillPerMs = options.perMinute / 60_000;
  let lastPrune = now();

  const prune = (time: number) => {
    // A full bucket is the same as no bucket: drop those, so memory follows active clients only.
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (time - bucket.updated) * refillPerMs >= capacity) buckets.delete(key);
    }
    lastPrune = time;
  };

  return (key) => {
    const time = now();
    if (time - lastPrune > 60_000) prune(time);
    const bucket = buckets.get(key) ?? { tokens: capacity, updated: time };
    bucket.tokens = Math.min(capacity, bucket.tokens + (time - bucket.updated) * refillPerMs);
    bucket.updated = time;
    buckets.set(key, bucket);
    if (bucket.tokens < 1) return Math.ceil((1 - bucket.tokens) / refillPerMs / 1000);
    bucket.tokens -= 1;
    return 0;
  };
}
