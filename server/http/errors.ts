/** The one error middleware, first in the chain: every refusal becomes {"error": {code, message}}. */
import type { Context, Next } from 'koa';
import { ApiError } from '../errors.ts';
import { localizedMessage } from './localize.ts';
import type { ErrorCode } from '../../shared/errors.ts';
import type { ErrorBody } from '../../shared/errors.ts';

/** zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR) and brotli's (ERR__ERROR_FORMAT_…): a body that claims a compression it lacks. */
const DECOMPRESSION_ERROR = /^(Z_|ERR__ERROR_)/;

/** Errors thrown by Koa itself and by the body parser carry an HTTP status; give them our codes. */
function fromHttpError(error: { status?: unknown; type?: unknown; code?: unknown }): ApiError | undefined {
  if (typeof error.code === 'string' && DECOMPRESSION_ERROR.test(error.code)) {
    return new ApiError('BAD_REQUEST', 'The request body could not be decompressed (Content-Encoding).');
  }
  const byStatus: Record<number, [ErrorCode, string]> = {
    400: ['BAD_REQUEST', 'The request body could not be read: send valid JSON.'],
    404: ['NOT_FOUND', 'There is nothing at this address.'],
    405: ['METHOD_NOT_ALLOWED', 'This method is not allowed here.'],
    501: ['METHOD_NOT_ALLOWED', 'This method is not allowed here.'],
    413: ['PAYLOAD_TOO_LARGE', 'The request body is too large.'],
    415: ['UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.'],
  };
  const known = typeof error.status === 'number' ? byStatus[error.status] : undefined;
  if (!known) return undefined;
  const [code, message] = error.type === 'charset.unsupported' ? ['UNSUPPORTED_MEDIA_TYPE', 'The body must be UTF-8.'] as const : known;
  return new ApiError(code, message);
}

export function sendError(ctx: Context, error: ApiError): void {
  ctx.status = error.status;
  const message = localizedMessage(error.code, error.message, ctx.get('accept-language') || undefined);
  ctx.vary('Accept-Language');
  const body: ErrorBody = { error: { code: error.code, message } };
  ctx.body = body;
  // Refused before the whole body arrived (too large, not decompressible): what is left of it would
  // be read as the next request on this connection, so the connection ends with this answer.
  if (!ctx.req.complete) ctx.set('Connection', 'close');
}

export function errorMiddleware() {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new ApiError('NOT_FOUND', 'There is nothing at this address.');
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : fromHttpError(caught as object);
      if (error) {
        sendError(ctx, error);
        if (error.status >= 500) ctx.state.log?.warn('request failed', { code: error.code });
        return;
      }
      ctx.state.log?.error('unexpected error', { error: caught });
      sendError(ctx, new ApiError('INTERNAL', 'Something went wrong on the server. Please try again.'));
    }
  };
}
