/** The merchant backend's Bearer secret, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { ApiError } from '../errors.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * true for a request carrying the right secret, false for one carrying none;
 * a wrong secret is refused rather than quietly treated as a public request.
 */
export function bearerAuth(apiSecret: string | null): (ctx: Context) => boolean {
  const expected = apiSecret === null ? null : digest(apiSecret);
  return (ctx) => {
    const header = ctx.get('authorization');
    if (!header) return false;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!expected || !match || !timingSafeEqual(digest(match[1]), expected)) {
      throw new ApiError('UNAUTHORIZED', 'The Authorization header does not hold the API secret.');
    }
    return true;
  };
}
