/**
 * CORS from an allowlist (the signer's own origin always). A browser request from another origin
 * gets no CORS headers, and a state-changing one is refused outright, so it changes nothing.
 */
import type { Context, Next } from 'koa';
import { ApiError } from '../errors.ts';

export function originPolicy(selfOrigin: () => string, allowed: readonly string[]): (origin: string) => boolean {
  const any = allowed.includes('*');
  return (origin) => any || origin === selfOrigin() || allowed.includes(origin);
}

export function cors(isAllowed: (origin: string) => boolean) {
  return async (ctx: Context, next: Next) => {
    const origin = ctx.get('origin');
    ctx.vary('Origin');
    if (!origin) return next();
    if (!isAllowed(origin)) {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
        throw new ApiError('FORBIDDEN_ORIGIN', 'This site is not allowed to use this checkout (ALLOWED_ORIGINS).');
      }
      return next();
    }
    ctx.set('Access-Control-Allow-Origin', origin);
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
      ctx.set('Access-Control-Allow-Methods', 'GET, POST');
      ctx.set('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Request-Id');
      ctx.set('Access-Control-Max-Age', '600');
      ctx.status = 204;
      return;
    }
    ctx.set('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After');
    return next();
  };
}
