/** The epay API over HTTP: `POST mapi.php`, and `api.php` with `act=order` (GET) and `act=refund` (POST). */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { readText } from '../body.ts';
import { jsonReply, sendReply, type GatewayReply } from '../reply.ts';
import { sandboxUrl } from '../runtime.ts';
import { orderQuery, refund } from './api.ts';
import { mapi } from './create.ts';
import { phpFields, text } from './fields.ts';
import type { EpayRuntime } from './runtime.ts';

const MAX_FORM = 16 * 1024;

/**
 * api.php with its query and (for a POST) its form body, merged as PHP's $_REQUEST holds them, the
 * body winning: act=order answers a GET or POST, act=refund a POST only.
 */
export function api(query: string, body: string | undefined, base: string, runtime: EpayRuntime): GatewayReply {
  const fields = { ...phpFields(query), ...(body === undefined ? {} : phpFields(body)) };
  const act = text(fields, 'act');
  if (act === 'order') return orderQuery(fields, base, runtime);
  if (act === 'refund' && body !== undefined) return refund(fields, runtime);
  return jsonReply({ code: -5, msg: 'No Act!' });
}

async function serveMapi(ctx: Context, runtime: EpayRuntime): Promise<void> {
  const caller = new AbortController();
  ctx.res.once('close', () => caller.abort());
  const fields = phpFields(await readText(ctx, MAX_FORM));
  const reply = await mapi(fields, sandboxUrl(ctx, runtime), runtime, caller.signal);
  if (reply) return sendReply(ctx, reply);
  // The 'hang' fault: no answer at all.
  ctx.respond = false;
  ctx.req.socket.destroy();
}

export function registerEpayGatewayRoutes(router: Router, runtime: EpayRuntime): void {
  router.post('/mapi.php', (ctx) => serveMapi(ctx, runtime));
  router.get('/api.php', (ctx) => sendReply(ctx, api(ctx.querystring, undefined, sandboxUrl(ctx, runtime), runtime)));
  router.post('/api.php', async (ctx) => {
    const body = await readText(ctx, MAX_FORM);
    sendReply(ctx, api(ctx.querystring, body, sandboxUrl(ctx, runtime), runtime));
  });
}
