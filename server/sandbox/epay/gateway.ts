/** The epay API over HTTP: `POST mapi.php`, and `api.php` with `act=order` (GET) and `act=refund` (POST), with their faults. */
import type { Context } from 'koa';
import type Router from '@koa/router';
import type { Received } from '../../epay/protocol.ts';
import { readText } from '../body.ts';
import { playFault } from '../play-fault.ts';
import { jsonReply, sendReply, type GatewayReply } from '../reply.ts';
import { sandboxUrl } from '../runtime.ts';
import { orderQuery, refund } from './api.ts';
import { mapi } from './create.ts';
import { phpFields, text } from './fields.ts';
import type { EpayRuntime } from './runtime.ts';

const MAX_FORM = 16 * 1024;

/** api.php's faults: no answer, an HTTP 500, a PHP warning (an unknown outcome, for a refund). */
export const EPAY_API_FAULTS = ['http-500', 'garbage', 'hang'] as const;

/** The out_trade_no a call is about, for its fault switches: given, or the order's of its trade_no. */
function scopeOf(fields: Received, runtime: EpayRuntime): string {
  return text(fields, 'out_trade_no') || (runtime.state.order(text(fields, 'trade_no'))?.outTradeNo ?? '');
}

/**
 * api.php with its query and (for a POST) its form body, merged as PHP's $_REQUEST holds them, the
 * body winning: act=order answers a GET or POST, act=refund a POST only. `null`: no answer (the
 * 'hang' fault), once `caller` aborted or the sandbox closed.
 */
export async function api(
  query: string,
  body: string | undefined,
  base: string,
  runtime: EpayRuntime,
  caller: AbortSignal,
): Promise<GatewayReply | null> {
  const fields = { ...phpFields(query), ...(body === undefined ? {} : phpFields(body)) };
  const fault = await playFault(runtime.faults.for(scopeOf(fields, runtime)).api, {}, caller, runtime.closing);
  if (fault !== undefined) return fault;
  const act = text(fields, 'act');
  if (act === 'order') return orderQuery(fields, base, runtime);
  if (act === 'refund' && body !== undefined) return refund(fields, runtime);
  return jsonReply({ code: -5, msg: 'No Act!' });
}

/** Answers with what `answer` gives, or with nothing at all (the 'hang' fault): the connection dropped. */
async function serve(ctx: Context, answer: (caller: AbortSignal) => Promise<GatewayReply | null>): Promise<void> {
  const caller = new AbortController();
  ctx.res.once('close', () => caller.abort());
  const reply = await answer(caller.signal);
  if (reply) return sendReply(ctx, reply);
  ctx.respond = false;
  ctx.req.socket.destroy();
}

export function registerEpayGatewayRoutes(router: Router, runtime: EpayRuntime): void {
  router.post('/mapi.php', async (ctx) => {
    const fields = phpFields(await readText(ctx, MAX_FORM));
    await serve(ctx, (caller) => mapi(fields, sandboxUrl(ctx, runtime), runtime, caller));
  });
  router.get('/api.php', (ctx) =>
    serve(ctx, (caller) => api(ctx.querystring, undefined, sandboxUrl(ctx, runtime), runtime, caller)),
  );
  router.post('/api.php', async (ctx) => {
    const body = await readText(ctx, MAX_FORM);
    await serve(ctx, (caller) => api(ctx.querystring, body, sandboxUrl(ctx, runtime), runtime, caller));
  });
}
