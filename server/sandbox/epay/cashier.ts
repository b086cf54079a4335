/**
 * The buyer's side: `submit.php` (the browser-redirect flow, to the pay page), the pay page (GET
 * shows it, POST pays: the page's form, or any script that decoded the QR) and its QR image.
 * Paying twice returns the first payment; paying starts the notify.
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { formatCents } from '../../../shared/money.ts';
import { readText } from '../body.ts';
import { qrImage } from '../qr-png.ts';
import { sandboxUrl } from '../runtime.ts';
import { createOrReuse } from './create.ts';
import { phpFields } from './fields.ts';
import { notifyFields, withSignedQuery } from './notify.ts';
import { epayErrorPage, epayPayPage } from './pages.ts';
import { epayPayUrl, epayQrImageUrl, type EpayRuntime } from './runtime.ts';
import type { EpayOrder } from './state.ts';

const MAX_FORM = 16 * 1024;

function findOrder(ctx: Context, runtime: EpayRuntime): EpayOrder | undefined {
  const order = runtime.state.order(String(ctx.params.tradeNo));
  if (!order) {
    ctx.status = 404;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = 'No such sandbox order.';
  }
  return order;
}

function html(ctx: Context, page: string): void {
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('cache-control', 'no-store');
  ctx.body = page;
}

function showPage(ctx: Context, runtime: EpayRuntime): void {
  const order = findOrder(ctx, runtime);
  if (order) html(ctx, epayPayPage(order, epayQrImageUrl(sandboxUrl(ctx, runtime), order.tradeNo)));
}

function pay(ctx: Context, runtime: EpayRuntime): void {
  const order = findOrder(ctx, runtime);
  if (!order) return;
  const { paid, created } = runtime.state.pay(order, runtime.faults.for(order.outTradeNo).differentMoney ? 1 : 0);
  if (created) runtime.notifier.start(order);
  // The synchronous notify: the same signed fields, to return_url, for the buyer who just paid.
  const returnLink =
    created && order.returnUrl ? withSignedQuery(order.returnUrl, notifyFields(order, runtime.pid), runtime.key) : '';
  if (ctx.accepts('html', 'json') === 'json') {
    ctx.set('cache-control', 'no-store');
    ctx.body = {
      paid: true,
      duplicate: !created,
      trade_no: order.tradeNo,
      out_trade_no: order.outTradeNo,
      money: formatCents(paid.money),
      return_link: returnLink,
    };
  } else {
    html(ctx, epayPayPage(order, epayQrImageUrl(sandboxUrl(ctx, runtime), order.tradeNo), returnLink));
  }
}

/** submit.php, GET or POST: the order made (or found again), then the browser goes to its pay page. */
async function submit(ctx: Context, runtime: EpayRuntime): Promise<void> {
  const form = ctx.method === 'POST' ? await readText(ctx, MAX_FORM) : ctx.querystring;
  const order = createOrReuse(phpFields(form), runtime, 'submit');
  if (!('tradeNo' in order)) return html(ctx, epayErrorPage(order.msg));
  ctx.redirect(epayPayUrl(sandboxUrl(ctx, runtime), order.tradeNo));
}

function serveQr(ctx: Context, runtime: EpayRuntime): void {
  const order = findOrder(ctx, runtime);
  if (!order) return;
  ctx.type = 'image/png';
  ctx.set('cache-control', 'no-store');
  ctx.body = qrImage(
    epayPayUrl(sandboxUrl(ctx, runtime), order.tradeNo),
    runtime.faults.for(order.outTradeNo).unreadableQr,
  );
}

export function registerEpayCashierRoutes(router: Router, runtime: EpayRuntime): void {
  router.get('/submit.php', (ctx) => submit(ctx, runtime));
  router.post('/submit.php', (ctx) => submit(ctx, runtime));
  router.get('/qr/:tradeNo.png', (ctx) => serveQr(ctx, runtime));
  router.get('/pay/:tradeNo', (ctx) => showPage(ctx, runtime));
  router.post('/pay/:tradeNo', (ctx) => pay(ctx, runtime));
}
