/** A token bucket per client address, for public order creation. */
import type { Context, Next } from 'koa';
import { ApiError } from '../errors.ts';

interface Bucket {
  tokens: number;
  updated: number;
}

export interface RateLimitOptions {
  perMinute: number;
  /** Skip the limit for this request (the merchant's authenticated backend). */
  exempt?: (ctx: Context) => boolean;
  now?: () => number;
}

export function rateLimit(options: RateLimitOptions) {
  const buckets = new Map<string, Bucket>();
  const now = options.now ?? Date.now;
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

  return async (ctx: Context, next: Next) => {
    if (options.exempt?.(ctx)) return next();
    const time = now();
    if (time - lastPrune > 60_000) prune(time);
    const bucket = buckets.get(ctx.ip) ?? { tokens: capacity, updated: time };
    bucket.tokens = Math.min(capacity, bucket.tokens + (time - bucket.updated) * refillPerMs);
    bucket.updated = time;
    buckets.set(ctx.ip, bucket);
    if (bucket.tokens < 1) {
      ctx.set('Retry-After', String(Math.ceil((1 - bucket.tokens) / refillPerMs / 1000)));
      throw new ApiError('RATE_LIMITED', 'Too many orders from this address. Please wait a moment and try again.');
    }
    bucket.tokens -= 1;
    return next();
  };
}
