/**
 * The buyer's side: the QR image, and the payment page it encodes. GET shows the page; POST (the
 * page's form, or any script that decoded the QR) pays. Paying twice returns the first payment.
 * Only the answer to the POST that paid carries the signed return link: the page's URL is in the
 * QR code, and whoever opens it later must not read signed payment fields there.
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { formatCents } from '../../shared/money.ts';
import { signedQuery } from '../codepay/protocol.ts';
import { notifyFields } from './codepay-notify.ts';
import { payPage } from './pages.ts';
import { qrImage } from './qr-png.ts';
import { payUrl, sandboxUrl, type Runtime } from './runtime.ts';
import type { Order, Payment } from './state.ts';

function findOrder(ctx: Context, runtime: Runtime): Order | undefined {
  const order = runtime.state.order(String(ctx.params.orderId));
  if (!order) {
    ctx.status = 404;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = 'No such sandbox order.';
  }
  return order;
}

/** The merchant's return_url with the payment's fields signed as in the notify: the synchronous notify. */
function returnLink(order: Order, payment: Payment, runtime: Runtime): string {
  if (!order.returnUrl) return '';
  const separator = order.returnUrl.includes('?') ? '&' : '?';
  return `${order.returnUrl}${separator}${signedQuery(notifyFields(payment), runtime.merchantKey)}`;
}

function paymentView(payment: Payment, duplicate: boolean, returnTo: string) {
  return {
    paid: true,
    duplicate,
    order_id: payment.orderId,
    pay_id: payment.payId,
    pay_no: payment.payNo,
    money: formatCents(payment.money),
    pay_time: payment.payTime,
    late: payment.late,
    /** Where the page's "back to the merchant" link goes ('' without a return_url, or for a repeated payment). */
    return_link: returnTo,
  };
}

async function serveQr(ctx: Context, runtime: Runtime): Promise<void> {
  const order = findOrder(ctx, runtime);
  if (!order) return;
  ctx.type = 'image/png';
  ctx.set('cache-control', 'no-store');
  ctx.body = qrImage(payUrl(sandboxUrl(ctx, runtime), order.orderId), runtime.faults.for(order.payId).unreadableQr);
}

function showPage(ctx: Context, runtime: Runtime): void {
  const order = findOrder(ctx, runtime);
  if (!order) return;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('cache-control', 'no-store');
  const payment = runtime.state.paymentOf(order.orderId);
  ctx.body = payPage(order, payment, runtime.state.isExpired(order));
}

function pay(ctx: Context, runtime: Runtime): void {
  const order = findOrder(ctx, runtime);
  if (!order) return;
  const faults = runtime.faults.for(order.payId);
  const { payment, created } = runtime.state.pay(
    order,
    order.notifyUrl || runtime.defaultNotifyUrl,
    faults.differentMoney ? 1 : 0,
  );
  if (created) runtime.notifier.start(payment);
  ctx.set('cache-control', 'no-store');
  const returnTo = created ? returnLink(order, payment, runtime) : '';
  if (ctx.accepts('html', 'json') === 'json') {
    ctx.body = paymentView(payment, !created, returnTo);
  } else {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = payPage(order, payment, runtime.state.isExpired(order), returnTo);
  }
}

export function registerCashierRoutes(router: Router, runtime: Runtime): void {
  router.get('/qr/:orderId.png', (ctx) => serveQr(ctx, runtime));
  router.get('/pay/:orderId', (ctx) => showPage(ctx, runtime));
  router.post('/pay/:orderId', (ctx) => pay(ctx, runtime));
}
