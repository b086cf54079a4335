/** Security headers on every answer; pages also get a strict Content-Security-Policy. */
import type { Context, Next } from 'koa';

const PAGE_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** On every answer. Order ids travel in URLs: never hand them to another site in a Referer. */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
];

/** On HTML answers too. */
const PAGE_HEADERS: readonly (readonly [string, string])[] = [
  ['Content-Security-Policy', PAGE_POLICY],
  ['X-Frame-Options', 'DENY'],
];

/** What `ctx.response.is('html')` answers, without type-is's parsing on every response. */
function isHtml(ctx: Context): boolean {
  const type = ctx.response.type;
  return type.length === 9 && type.toLowerCase() === 'text/html';
}

export function securityHeaders() {
  return async (ctx: Context, next: Next) => {
    await next();
    for (const [name, value] of SECURITY_HEADERS) ctx.set(name, value);
    if (isHtml(ctx)) for (const [name, value] of PAGE_HEADERS) ctx.set(name, value);
  };
}
