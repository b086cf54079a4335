/**
 * CORS from an allowlist (the signer's own origin always). A browser request from another origin
 * gets no CORS headers, and a state-changing one is refused outright, so it changes nothing.
 */
import type { Context, Next } from 'koa';
import { ApiError } from '../errors.ts';

export interface CorsPolicy {
  /** The signer's own origin. */
  selfOrigin: () => string;
  /** Other origins allowed; '*' allows any. */
  allowedOrigins: readonly string[];
}

const PREFLIGHT_HEADERS: readonly (readonly [string, string])[] = [
  ['Access-Control-Allow-Methods', 'GET, POST'],
  ['Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Request-Id'],
  ['Access-Control-Max-Age', '600'],
];

function allowance({ selfOrigin, allowedOrigins }: CorsPolicy): (origin: string) => boolean {
  const any = allowedOrigins.includes('*');
  return (origin) => any || origin === selfOrigin() || allowedOrigins.includes(origin);
}

export function cors(policy: CorsPolicy) {
  const isAllowed = allowance(policy);
  return async (ctx: Context, next: Next) => {
    // Every answer on a CORS path varies by Origin (the first Vary: set, not parsed and appended).
    ctx.set('Vary', 'Origin');
    const origin = ctx.get('origin');
    if (!origin) return next();
    if (!isAllowed(origin)) {
      if (ctx.method === 'GET' || ctx.method === 'HEAD') return next();
      throw new ApiError('FORBIDDEN_ORIGIN', 'This site is not allowed to use this checkout (ALLOWED_ORIGINS).');
    }
    ctx.set('Access-Control-Allow-Origin', origin);
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
      for (const [name, value] of PREFLIGHT_HEADERS) ctx.set(name, value);
      ctx.status = 204;
      return;
    }
    ctx.set('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After');
    return next();
  };
}

/**
 * Lets the allowed origins read a route's answers, and refuses no one: for a route that other
 * callers (a phone, a page's own form) reach as before. A simple request only (no preflight).
 */
export function readableBy(policy: CorsPolicy) {
  const isAllowed = allowance(policy);
  return (ctx: Context, next: Next) => {
    ctx.vary('Origin');
    const origin = ctx.get('origin');
    if (origin && isAllowed(origin)) ctx.set('Access-Control-Allow-Origin', origin);
    return next();
  };
}
