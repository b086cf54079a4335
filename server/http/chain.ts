/**
 * The one middleware every answer passes first: a request id (echoed in X-Request-Id), the security
 * headers, refusals answered as {"error": …}, and one log line. One async step rather than three
 * around every request: the busiest answers are small enough for each step to count.
 */
import type { Middleware } from 'koa';
import type { Logger } from '../log.ts';
import { answerRefusal, refuseUnanswered } from './errors.ts';
import { logRequest, requestIdFor } from './request-log.ts';
import { setPageHeaders, setSecurityHeaders } from './security.ts';

export function answerChain(log: Logger): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    const requestId = requestIdFor(ctx.get('x-request-id') || undefined);
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    setSecurityHeaders(ctx);
    try {
      await next();
      refuseUnanswered(ctx);
    } catch (caught) {
      answerRefusal(ctx, caught, log.child({ requestId }));
    }
    setPageHeaders(ctx);
    logRequest(log, ctx, requestId, started);
  };
}
