/**
 * The CodePay API itself: `creat_order` (GET, signed by `sign` or `token`) and the `ispay` status
 * query. Answers carry the real gateway's statuses (0 ok, -1 failed, -2 bad parameters) and its
 * short English `msg` strings, always with HTTP 200, as the real one does.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type Router from '@koa/router';
import { isChannel, type Channel } from '../../shared/api.ts';
import { formatCents, inGatewayRange, parseAmount } from '../../shared/money.ts';
import { md5Hex, parseForm, verify, type Params } from '../codepay/protocol.ts';
import { cashierPage } from './pages.ts';
import { payUrl, qrcodeUrl, sleep, type Runtime } from './runtime.ts';
import type { Order } from './state.ts';

type Answer = Record<string, unknown>;

const DEFAULT_OUT_TIME = 360;
const MAX_PAY_ID = 100;
/** A dotted JavaScript name: anything else could inject script into the page=3 answer. */
const CALLBACK_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

function failure(status: -1 | -2 | -6, msg: string): Answer {
  return { status, msg };
}

/** JSON, or with `call` a JavaScript call of that function (page=3, and ispay's `call`). */
function answer(ctx: Context, body: Answer, call: string | undefined): void {
  if (call !== undefined) {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = `${call}(${JSON.stringify(body)});`;
  } else {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = JSON.stringify(body);
  }
}

function sameSecret(given: string, expected: string): boolean {
  // Compare digests so the lengths match and the timing says nothing about the secret.
  return timingSafeEqual(Buffer.from(md5Hex(given), 'hex'), Buffer.from(md5Hex(expected), 'hex'));
}

/** `sign` (md5 over every non-empty parameter) when present, else the merchant's plain `token`. */
function authenticated(params: Params, runtime: Runtime): boolean {
  if (params.sign) return verify(params, runtime.merchantKey);
  return Boolean(params.token && runtime.merchantToken && sameSecret(params.token, runtime.merchantToken));
}

function absoluteHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

type Checked = { ok: true; type: Channel; price: number; outTime: number } | { ok: false; msg: string };

function checkParameters(params: Params): Checked {
  const typeText = params.type || '1';
  const type = Number(typeText);
  if (!/^\d$/.test(typeText) || !isChannel(type)) return { ok: false, msg: 'type error' };
  const price = parseAmount(params.price);
  if (price === undefined || !inGatewayRange(price)) return { ok: false, msg: 'price error' };
  if (!params.pay_id) return { ok: false, msg: 'pay_id error' };
  if ([...params.pay_id].length > MAX_PAY_ID) return { ok: false, msg: 'too long' };
  const outTimeText = params.outTime || String(DEFAULT_OUT_TIME);
  const outTime = Number(outTimeText);
  if (!/^\d{1,6}$/.test(outTimeText) || outTime < 1) return { ok: false, msg: 'outTime error' };
  for (const name of ['notify_url', 'return_url']) {
    if (params[name] && !absoluteHttpUrl(params[name])) return { ok: false, msg: `${name} error` };
  }
  return { ok: true, type, price, outTime };
}

/** The answer fields in the order of the document's example. */
function orderAnswer(ctx: Context, runtime: Runtime, order: Order): Answer {
  return {
    msg: 'ok',
    qrcode: qrcodeUrl(ctx, runtime, order.orderId),
    status: 0,
    chart: order.chart,
    order_id: order.orderId,
    pay_id: order.payId,
    type: order.type,
    // A number, the way the real gateway echoes it (`"price":111`), while money is a string.
    price: Number(formatCents(order.price)),
    money: formatCents(order.money),
    userID: Number(runtime.merchantId),
    notiry_key: order.notiryKey,
    tag: 0,
    serverTime: order.serverTime,
    endTime: order.endTime,
  };
}

/** Plays a creat_order fault; true when the answer has been taken care of. */
async function playFault(ctx: Context, runtime: Runtime, payId: string): Promise<boolean> {
  const faults = runtime.faults.for(payId);
  if (faults.slowMs) await sleep(faults.slowMs, runtime.closing);
  switch (faults.createOrder) {
    case 'fail':
      answer(ctx, failure(-1, 'creat fail'), undefined);
      return true;
    case 'bad-params':
      answer(ctx, failure(-2, 'undefined'), undefined);
      return true;
    case 'http-500':
      ctx.status = 500;
      ctx.type = 'text/html';
      ctx.body = '<html><body><h1>500 Internal Server Error</h1></body></html>';
      return true;
    case 'garbage':
      ctx.type = 'text/html';
      ctx.body = '<html><body>Warning: mysql_connect(): Too many connections</body></html>';
      return true;
    case 'hang':
      // Never answer: hold the request until the client gives up or the sandbox closes.
      ctx.respond = false;
      await new Promise<void>((resolve) => {
        const done = () => {
          runtime.closing.removeEventListener('abort', done);
          resolve();
        };
        ctx.res.once('close', done);
        runtime.closing.addEventListener('abort', done, { once: true });
      });
      ctx.req.socket.destroy();
      return true;
    default:
      return false;
  }
}

async function createOrder(ctx: Context, runtime: Runtime): Promise<void> {
  const params = parseForm(ctx.querystring);
  if (!params) return answer(ctx, failure(-2, 'param error'), undefined);
  const call = params.page === '3' ? params.call || 'callback' : undefined;
  if (call !== undefined && !CALLBACK_NAME.test(call)) return answer(ctx, failure(-2, 'call error'), undefined);
  if (await playFault(ctx, runtime, params.pay_id ?? '')) return;
  if (params.id !== runtime.merchantId) return answer(ctx, failure(-2, 'undefined'), call);
  if (!authenticated(params, runtime)) return answer(ctx, failure(-2, params.sign ? 'sign fail' : 'token error'), call);
  const checked = checkParameters(params);
  if (!checked.ok) return answer(ctx, failure(-2, checked.msg), call);
  const order = runtime.state.createOrder({
    payId: params.pay_id,
    type: checked.type,
    price: checked.price,
    param: params.param ?? '',
    notifyUrl: params.notify_url ?? '',
    returnUrl: params.return_url ?? '',
    chart: params.chart || 'utf-8',
    outTime: checked.outTime,
  });
  // The real gateway's answer when it has no QR code (amount) left to give.
  if (!order) return answer(ctx, failure(-1, 'qrcode too little'), call);
  if (params.page === '3' || params.page === '4') return answer(ctx, orderAnswer(ctx, runtime, order), call);
  // The document's redirect flow: the browser lands on the gateway's own cashier page.
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = cashierPage(order, qrcodeUrl(ctx, runtime, order.orderId), payUrl(ctx, runtime, order.orderId));
}

/**
 * `ispay?id=&order_id=&token=` (or `pay_id=` for the newest order of that reference; `sign` instead
 * of `token` works too). Status 0 unpaid (with pay_time 0, which some clients test), 1 paid.
 */
function isPaid(ctx: Context, runtime: Runtime): void {
  const params = parseForm(ctx.querystring);
  if (!params) return answer(ctx, failure(-2, 'param error'), undefined);
  const call = params.call || undefined;
  if (call !== undefined && !CALLBACK_NAME.test(call)) return answer(ctx, failure(-2, 'call error'), undefined);
  if (params.id !== runtime.merchantId || !authenticated(params, runtime)) {
    return answer(ctx, failure(-6, 'token error'), call);
  }
  const order = params.order_id
    ? runtime.state.order(params.order_id)
    : params.pay_id
      ? runtime.state.latestOrderOf(params.pay_id)
      : undefined;
  if (!order) return answer(ctx, failure(-1, 'no order'), call);
  const payment = runtime.state.paymentOf(order.orderId);
  const common = { order_id: order.orderId, pay_id: order.payId, type: order.type, price: formatCents(order.price) };
  if (!payment) {
    return answer(ctx, { status: 0, msg: 'no', ...common, money: formatCents(order.money), pay_time: 0, endTime: order.endTime }, call);
  }
  answer(
    ctx,
    {
      status: 1,
      msg: 'ok',
      ...common,
      money: formatCents(payment.money),
      pay_no: payment.payNo,
      pay_time: payment.payTime,
      param: payment.param,
      tag: 0,
      endTime: order.endTime,
    },
    call,
  );
}

export function registerGatewayRoutes(router: Router, runtime: Runtime): void {
  // Non-strict routing: `/creat_order/` (the documented path) and `/creat_order` both match.
  router.get('/creat_order', (ctx) => createOrder(ctx, runtime));
  router.get('/ispay', (ctx) => isPaid(ctx, runtime));
}
