/** Every refusal becomes {"error": {code, message}}: what the chain (chain.ts) answers for what a handler threw. */
import type { Context } from 'koa';
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { localizedMessage } from './localize.ts';
import type { ErrorCode } from '../../shared/errors.ts';

/** zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR) and brotli's (ERR__ERROR_FORMAT_…): a body not encoded as it claims. */
const DECOMPRESSION_ERROR = /^(Z_|ERR__ERROR_)/;

const BY_STATUS: Record<number, [ErrorCode, string]> = {
  400: ['BAD_REQUEST', 'The request body could not be read: send valid JSON.'],
  404: ['NOT_FOUND', 'There is nothing at this address.'],
  405: ['METHOD_NOT_ALLOWED', 'This method is not allowed here.'],
  413: ['PAYLOAD_TOO_LARGE', 'The request body is too large.'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'This Content-Encoding is not supported: send the body as it is.'],
  501: ['METHOD_NOT_ALLOWED', 'This method is not allowed here.'],
};

/** By raw-body's error type, where it says more than the status. */
const BY_TYPE: Record<string, [ErrorCode, string]> = {
  'request.aborted': ['BAD_REQUEST', 'The request body was cut off before its end.'],
  'request.size.invalid': ['BAD_REQUEST', 'The request body is not as long as its Content-Length says.'],
  'charset.unsupported': ['UNSUPPORTED_MEDIA_TYPE', 'The body must be UTF-8.'],
  'encoding.unsupported': ['UNSUPPORTED_MEDIA_TYPE', 'The body must be UTF-8.'],
};

/** Errors thrown by Koa, its router and the body parser carry an HTTP status, zlib's a code; give them ours. */
function fromHttpError(error: { status?: unknown; code?: unknown; type?: unknown }): ApiError | undefined {
  if (typeof error.code === 'string' && DECOMPRESSION_ERROR.test(error.code)) {
    return new ApiError('BAD_REQUEST', 'The request body could not be decompressed (Content-Encoding).');
  }
  const byType = typeof error.type === 'string' ? BY_TYPE[error.type] : undefined;
  const known = byType ?? (typeof error.status === 'number' ? BY_STATUS[error.status] : undefined);
  return known && new ApiError(...known);
}

/**
 * The refusal to answer for what a handler threw. 5xx are logged: an unexpected error with its
 * stack (and answered INTERNAL, saying nothing of it), a known one by its code.
 */
export function refusalFor(caught: unknown, log: Logger): ApiError {
  const error = caught instanceof ApiError ? caught : fromHttpError((caught ?? {}) as object);
  if (!error) {
    log.error('unexpected error', { error: caught });
    return new ApiError('INTERNAL', 'Something went wrong on the server. Please try again.');
  }
  if (error.status >= 500) log.warn('request failed', { code: error.code });
  return error;
}

export function sendError(ctx: Context, error: ApiError): void {
  ctx.status = error.status;
  ctx.vary('Accept-Language');
  const message = localizedMessage(error.code, error.message, ctx.get('accept-language') || undefined);
  const body = { error: { code: error.code, message } };
  ctx.body = body;
  // Refused before the whole body arrived (too large, not decompressible): what is left of it would
  // be read as the next request on this connection, so the connection ends with this answer.
  if (error.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(error.retryAfterSeconds));
  if (!ctx.req.complete) ctx.set('Connection', 'close');
}

/** Nothing answered (404), or the router's 405/501 with its Allow header: thrown, to be answered as ours. */
export function refuseUnanswered(ctx: Context): void {
  const { status } = ctx;
  if (ctx.body === undefined && (status === 404 || status === 405 || status === 501)) throw fromHttpError({ status });
}

/** Answers what the handlers threw; an event stream whose head is out already can only be ended. */
export function answerRefusal(ctx: Context, caught: unknown, log: Logger): void {
  const error = refusalFor(caught, log);
  if (ctx.headerSent) ctx.res.end();
  else sendError(ctx, error);
}
