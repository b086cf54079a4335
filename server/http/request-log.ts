/** A request id on every request (echoed in X-Request-Id) and one log line per answer. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { Logger } from '../log.ts';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The caller's X-Request-Id when it is safe to echo and log, else a new one. */
export function requestIdFor(given: string | undefined): string {
  return given !== undefined && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The `request` line: the path only, as query strings may carry signatures and tokens. Fields
 * rather than a child logger per request: most requests log this line and nothing else.
 */
export function logRequest(log: Logger, ctx: Context, requestId: string, started: number): void {
  const ms = Math.round(performance.now() - started);
  const line = { requestId, method: ctx.method, path: ctx.path.slice(0, 200), status: ctx.status, ms };
  const repeats: unknown = ctx.state.logRepeatsAs;
  if (typeof repeats === 'string') log.repeated(repeats, 'info', 'request', line);
  else log.info('request', line);
}

/** Marks the answer as one a flood repeats (a refused notify): its request lines are then counted, not each written. */
export function logRepeatsAs(ctx: Context, kind: string): void {
  ctx.state.logRepeatsAs = kind;
}
