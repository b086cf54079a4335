/** A request id on every request (echoed in X-Request-Id) and one log line per answer. */
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { LogFields, Logger } from '../log.ts';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The caller's X-Request-Id when it is safe to echo and log, else a new one. */
export function requestIdFor(given: string | undefined): string {
  return given !== undefined && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** The fields of the `request` line; the path only, as query strings may carry signatures and tokens. */
export function requestLine(method: string, path: string, status: number, started: number): LogFields {
  return { method, path: path.slice(0, 200), status, ms: Math.round(performance.now() - started) };
}

export function requestLog(log: Logger) {
  return async (ctx: Context, next: Next) => {
    const requestId = requestIdFor(ctx.get('x-request-id'));
    ctx.set('X-Request-Id', requestId);
    ctx.state.requestId = requestId;
    ctx.state.log = log.child({ requestId });
    const started = performance.now();
    try {
      await next();
    } finally {
      ctx.state.log.info('request', requestLine(ctx.method, ctx.path, ctx.status, started));
    }
  };
}
