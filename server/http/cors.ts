/**
 * CORS from an allowlist (the signer's own origin always). A browser request from another origin
 * gets no CORS headers, and a state-changing one is refused outright, so it changes nothing.
 */
import type { Context, Next } from 'koa';
import { ApiError } from '../errors.ts';

type Header = readonly [string, string];

/** What a request gets: refused, or these headers (and, for a preflight, nothing else). */
export type CorsDecision = 'refuse' | { headers: readonly Header[]; preflight: boolean };

const NONE: CorsDecision = { headers: [], preflight: false };
const PREFLIGHT_HEADERS: readonly Header[] = [
  ['Access-Control-Allow-Methods', 'GET, POST'],
  ['Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Request-Id'],
  ['Access-Control-Max-Age', '600'],
];
const EXPOSE: Header = ['Access-Control-Expose-Headers', 'X-Request-Id, Retry-After'];

export function originPolicy(selfOrigin: () => string, allowed: readonly string[]): (origin: string) => boolean {
  const any = allowed.includes('*');
  return (origin) => any || origin === selfOrigin() || allowed.includes(origin);
}

/**
 * The decision for one request; `origin` and `preflightMethod` (Access-Control-Request-Method) are
 * empty when absent. Every answer on a CORS path also varies by Origin.
 */
export function corsDecision(isAllowed: (origin: string) => boolean, method: string, origin: string, preflightMethod: string): CorsDecision {
  if (!origin) return NONE;
  if (!isAllowed(origin)) return method === 'GET' || method === 'HEAD' ? NONE : 'refuse';
  const allowOrigin: Header = ['Access-Control-Allow-Origin', origin];
  if (method === 'OPTIONS' && preflightMethod) return { headers: [allowOrigin, ...PREFLIGHT_HEADERS], preflight: true };
  return { headers: [allowOrigin, EXPOSE], preflight: false };
}

export function forbiddenOrigin(): ApiError {
  return new ApiError('FORBIDDEN_ORIGIN', 'This site is not allowed to use this checkout (ALLOWED_ORIGINS).');
}

export function cors(isAllowed: (origin: string) => boolean) {
  return async (ctx: Context, next: Next) => {
    ctx.vary('Origin');
    const decision = corsDecision(isAllowed, ctx.method, ctx.get('origin'), ctx.get('access-control-request-method'));
    if (decision === 'refuse') throw forbiddenOrigin();
    for (const [name, value] of decision.headers) ctx.set(name, value);
    if (decision.preflight) ctx.status = 204;
    else return next();
  };
}
