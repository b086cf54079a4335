/** Security headers on every answer; HTML pages (the demo, the sandbox's) also get a strict Content-Security-Policy. */
import type { Context } from 'koa';

/**
 * Pages load only their own origin's images, styles and form targets, and no one may frame them
 * (a framed sandbox pay page could be paid by one tricked click).
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** What `ctx.response.is('html')` answers, without type-is's parsing on every response. */
function isHtml(ctx: Context): boolean {
  const type = ctx.response.type;
  return type.length === 9 && type.toLowerCase() === 'text/html';
}

/** On every answer, before the handler runs: an event stream sends its head from the handler itself. */
export function setSecurityHeaders(ctx: Context): void {
  ctx.set('X-Content-Type-Options', 'nosniff');
  // Order ids travel in URLs: never hand them to another site in a Referer.
  ctx.set('Referrer-Policy', 'no-referrer');
}

/** On an HTML answer, once it is made. */
export function setPageHeaders(ctx: Context): void {
  if (!isHtml(ctx) || ctx.headerSent) return;
  // A page with a policy of its own (the console's, stricter) keeps it.
  if (!ctx.response.get('Content-Security-Policy')) ctx.set('Content-Security-Policy', PAGE_POLICY);
  ctx.set('X-Frame-Options', 'DENY');
}
