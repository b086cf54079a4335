/** A request id on every request (echoed in X-Request-Id) and one log line per answer. */
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { Logger } from '../log.ts';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function requestLog(log: Logger) {
  return async (ctx: Context, next: Next) => {
    const given = ctx.get('x-request-id');
    const requestId = SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', requestId);
    ctx.state.requestId = requestId;
    ctx.state.log = log.child({ requestId });
    const started = performance.now();
    try {
      await next();
    } finally {
      // The path only: query strings may carry signatures and tokens.
      ctx.state.log.info('request', {
        method: ctx.method,
        path: ctx.path.slice(0, 200),
        status: ctx.status,
        ms: Math.round(performance.now() - started),
      });
    }
  };
}
