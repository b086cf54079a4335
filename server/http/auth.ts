/** The merchant backend's Bearer secret, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.ts';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * From the Authorization header: true for the right secret, false for no header; a wrong secret
 * is refused rather than quietly treated as a public request.
 */
export function bearerAuth(apiSecret: string | null): (authorization: string | undefined) => boolean {
  const expected = apiSecret === null ? null : digest(apiSecret);
  return (authorization) => {
    if (!authorization) return false;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!expected || !match || !timingSafeEqual(digest(match[1]), expected)) {
      throw new ApiError('UNAUTHORIZED', 'The Authorization header does not hold the API secret.');
    }
    return true;
  };
}
