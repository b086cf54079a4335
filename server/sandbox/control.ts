/**
 * `_control/*`: what tests and developers use to look inside the sandbox and switch faults.
 * JSON in and out; never the merchant key. Served to this machine only (see refusalOf): the
 * listings hold every order id, and a switch or a reset reaches every buyer.
 */
import type { Context, Next } from 'koa';
import type Router from '@koa/router';
import { formatCents } from '../../shared/money.ts';
import { parseFaultRequest } from './faults.ts';
import type { Runtime } from './runtime.ts';
import type { Order, Payment } from './state.ts';

const MAX_BODY = 64 * 1024;

export async function readJson(ctx: Context): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) {
      // The rest of the body stays unread: the connection cannot carry another request.
      ctx.set('Connection', 'close');
      ctx.throw(413, 'body too large');
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    ctx.throw(400, 'body is not JSON');
  }
}

/** Lists filter on any of `order_id`, `pay_id`, `pay_no` given in the query. */
function matches(ctx: Context, record: { orderId: string; payId: string; payNo?: string }): boolean {
  const { order_id: orderId, pay_id: payId, pay_no: payNo } = ctx.query;
  return (
    (orderId === undefined || record.orderId === orderId) &&
    (payId === undefined || record.payId === payId) &&
    (payNo === undefined || record.payNo === payNo)
  );
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses (a dual-stack socket's peers). */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Headers a proxy adds: a request carrying one came from elsewhere, even through a proxy on loopback. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];
/** The names this machine goes by: another in Host is a page whose name was rebound to 127.0.0.1. */
const LOCAL_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/**
 * Why a control request is refused, or undefined to serve it: the peer must be this machine, not
 * by way of a proxy; no web page may send it (a browser names a page's Origin and Sec-Fetch-Site);
 * and a POST must say it is JSON, which a page cannot send elsewhere without CORS asking first.
 */
function refusalOf(ctx: Context): { status: number; error: string } | undefined {
  if (!isLoopback(ctx.req.socket.remoteAddress) || FORWARDING_HEADERS.some((name) => ctx.get(name) !== '')) {
    return { status: 403, error: 'the sandbox control answers requests from this machine only' };
  }
  const site = ctx.get('sec-fetch-site');
  const origin = ctx.get('origin');
  const selfOrigin = `${ctx.protocol}://${ctx.host}`;
  if (
    !LOCAL_HOST.test(ctx.host) ||
    (site !== '' && site !== 'same-origin' && site !== 'none') ||
    (origin !== '' && origin !== selfOrigin)
  ) {
    return { status: 403, error: 'the sandbox control does not answer web pages of other sites' };
  }
  if (ctx.method === 'POST' && ctx.request.type !== 'application/json') {
    return { status: 415, error: 'send the sandbox control JSON (Content-Type: application/json)' };
  }
  return undefined;
}

function orderView(order: Order, runtime: Runtime) {
  const payment = runtime.state.paymentOf(order.orderId);
  return {
    order_id: order.orderId,
    pay_id: order.payId,
    type: order.type,
    price: formatCents(order.price),
    money: formatCents(order.money),
    param: order.param,
    notify_url: order.notifyUrl,
    return_url: order.returnUrl,
    serverTime: order.serverTime,
    endTime: order.endTime,
    status: payment ? 'paid' : runtime.state.isExpired(order) ? 'expired' : 'pending',
    pay_no: payment?.payNo ?? null,
  };
}

function paymentView(payment: Payment, runtime: Runtime) {
  return {
    pay_no: payment.payNo,
    order_id: payment.orderId,
    pay_id: payment.payId,
    type: payment.type,
    price: formatCents(payment.price),
    money: formatCents(payment.money),
    param: payment.param,
    pay_time: payment.payTime,
    late: payment.late,
    notify_url: payment.notifyUrl,
    notify: runtime.notifier.state(payment.payNo),
  };
}

/** In front of every `_control` route: refuses other machines and web pages, answers errors as JSON. */
export async function guardControl(ctx: Context, next: Next): Promise<void> {
  const refusal = refusalOf(ctx);
  if (refusal) {
    ctx.status = refusal.status;
    ctx.body = { error: refusal.error };
    return;
  }
  try {
    await next();
  } catch (error) {
    const status = (error as { status?: number }).status ?? 500;
    ctx.status = status;
    ctx.body = { error: error instanceof Error ? error.message : String(error) };
  }
}

export function registerControlRoutes(router: Router, runtime: Runtime): void {
  router.use('/_control', guardControl);
  router.get('/_control/orders', (ctx) => {
    ctx.body = runtime.state
      .listOrders()
      .filter((order) => matches(ctx, order))
      .map((order) => orderView(order, runtime));
  });
  router.get('/_control/payments', (ctx) => {
    ctx.body = runtime.state
      .listPayments()
      .filter((payment) => matches(ctx, payment))
      .map((payment) => paymentView(payment, runtime));
  });
  router.get('/_control/attempts', (ctx) => {
    ctx.body = runtime.notifier.list((attempt) => matches(ctx, attempt));
  });
  router.get('/_control/faults', (ctx) => {
    ctx.body = runtime.faults.view();
  });
  router.post('/_control/faults', async (ctx) => {
    try {
      runtime.faults.set(parseFaultRequest(await readJson(ctx)));
    } catch (error) {
      if (error instanceof TypeError) ctx.throw(400, error.message);
      throw error;
    }
    ctx.body = runtime.faults.view();
  });
  // `{"state": true}` also forgets orders, payments and attempts, and stops pending notifies.
  router.post('/_control/reset', async (ctx) => {
    const body = await readJson(ctx);
    runtime.faults.clear();
    if (typeof body === 'object' && body !== null && (body as { state?: unknown }).state === true) {
      await runtime.notifier.clear();
      runtime.state.clear();
    }
    ctx.body = { reset: true };
  });
}
