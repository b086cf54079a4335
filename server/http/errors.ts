/** Every refusal becomes {"error": {code, message}}: the error middleware (first in Koa's chain) and the hot lane share these. */
import type { IncomingMessage } from 'node:http';
import type { Context, Next } from 'koa';
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { localizedMessage } from './localize.ts';
import type { ErrorBody, ErrorCode } from '../../shared/errors.ts';

/** zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR) and brotli's (ERR__ERROR_FORMAT_…): a body that claims a compression it lacks. */
const DECOMPRESSION_ERROR = /^(Z_|ERR__ERROR_)/;

/** Errors thrown by Koa and its router carry an HTTP status, zlib's (a lane body) a code; give them ours. */
function fromHttpError(error: { status?: unknown; code?: unknown }): ApiError | undefined {
  if (typeof error.code === 'string' && DECOMPRESSION_ERROR.test(error.code)) {
    return new ApiError('BAD_REQUEST', 'The request body could not be decompressed (Content-Encoding).');
  }
  const byStatus: Record<number, [ErrorCode, string]> = {
    404: ['NOT_FOUND', 'There is nothing at this address.'],
    405: ['METHOD_NOT_ALLOWED', 'This method is not allowed here.'],
    501: ['METHOD_NOT_ALLOWED', 'This method is not allowed here.'],
  };
  const known = typeof error.status === 'number' ? byStatus[error.status] : undefined;
  return known && new ApiError(...known);
}

/**
 * The refusal to answer for what a handler threw. 5xx are logged: an unexpected error with its
 * stack (and answered INTERNAL, saying nothing of it), a known one by its code.
 */
export function refusalFor(caught: unknown, log: Logger | undefined): ApiError {
  const error = caught instanceof ApiError ? caught : fromHttpError(caught as object);
  if (!error) {
    log?.error('unexpected error', { error: caught });
    return new ApiError('INTERNAL', 'Something went wrong on the server. Please try again.');
  }
  if (error.status >= 500) log?.warn('request failed', { code: error.code });
  return error;
}

/** The JSON body of a refusal, its message in the language asked for; the answer varies by Accept-Language. */
export function errorBody(error: ApiError, acceptLanguage: string | undefined): ErrorBody {
  return { error: { code: error.code, message: localizedMessage(error.code, error.message, acceptLanguage || undefined) } };
}

/**
 * Refused before the whole body arrived (too large, not decompressible): what is left of it would
 * be read as the next request on this connection, so the connection ends with this answer.
 */
export function mustCloseAfter(req: IncomingMessage): boolean {
  return !req.complete;
}

export function sendError(ctx: Context, error: ApiError): void {
  ctx.status = error.status;
  ctx.vary('Accept-Language');
  ctx.body = errorBody(error, ctx.get('accept-language'));
  if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(error.retryAfterSeconds));
  if (mustCloseAfter(ctx.req)) ctx.set('Connection', 'close');
}

export function errorMiddleware() {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError('NOT_FOUND', 'There is nothing at this address.');
    } catch (caught) {
      sendError(ctx, refusalFor(caught, ctx.state.log));
    }
  };
}
