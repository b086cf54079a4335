/**
 * The CodePay API itself: `creat_order` (GET, signed by `sign` or `token`) and the `ispay` status
 * query. Answers carry the real gateway's statuses (0 ok, -1 failed, -2 bad parameters) and its
 * short English `msg` strings, always with HTTP 200, as the real one does. Each call takes the
 * query string and gives a reply, so the same code answers over HTTP and in-process.
 */
import { timingSafeEqual } from 'node:crypto';
import type Router from '@koa/router';
import { isChannel, type Channel } from '../../shared/api.ts';
import { formatCents, inGatewayRange, parseAmount } from '../../shared/money.ts';
import { fieldWithSeparator, md5Hex, type Params } from '../codepay/protocol.ts';
import { parseQuery, verifyIn, type Charset } from './charset.ts';
import { cashierPage } from './pages.ts';
import { sendReply, type GatewayReply } from './reply.ts';
import { playCreateFault } from './play-fault.ts';
import { payUrl, qrcodeUrl, sandboxUrl, type Runtime } from './runtime.ts';
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
function answer(body: Answer, call: string | undefined): GatewayReply {
  return call !== undefined
    ? { status: 200, type: 'application/javascript; charset=utf-8', body: `${call}(${JSON.stringify(body)});` }
    : { status: 200, type: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}

function sameSecret(given: string, expected: string): boolean {
  // Compare digests so the lengths match and the timing says nothing about the secret.
  return timingSafeEqual(Buffer.from(md5Hex(given), 'hex'), Buffer.from(md5Hex(expected), 'hex'));
}

/**
 * `sign` (md5 over every non-empty parameter, as bytes of the request's charset) when present, else
 * the merchant's plain `token`.
 */
function authenticated(params: Params, charset: Charset, runtime: Runtime): boolean {
  if (params.sign) return verifyIn(charset, params, runtime.merchantKey);
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
function orderAnswer(base: string, runtime: Runtime, order: Order): Answer {
  return {
    msg: 'ok',
    qrcode: qrcodeUrl(base, order.orderId),
    status: 0,
    chart: order.chart,
    order_id: order.orderId,
    pay_id: order.payId,
    type: order.type,
    // A number, the way the real gateway echoes it (`"price":111`), while money is a string.
    price: Number(formatCents(order.price)),
    money: formatCents(order.money),
    userID: Number(runtime.merchantId),
    // The official SDK's pay page opens its live "paid" channel at notiry_host, else at the long-gone
    // cloud's own address: with ours it stays on the sandbox (which serves no such channel).
    notiry_host: new URL(base).origin,
    notiry_key: order.notiryKey,
    tag: 0,
    serverTime: order.serverTime,
    endTime: order.endTime,
  };
}

/** creat_order's own refusals among the create faults. */
const REFUSALS = {
  fail: answer(failure(-1, 'creat fail'), undefined),
  'bad-params': answer(failure(-2, 'undefined'), undefined),
};

/**
 * `creat_order` with its query string, the sandbox's own URL as the caller reached it (`base`), and
 * a signal that aborts when the caller stops waiting. `null`: no answer (the 'hang' fault).
 */
export async function creatOrder(
  query: string,
  base: string,
  runtime: Runtime,
  caller: AbortSignal,
): Promise<GatewayReply | null> {
  const parsed = parseQuery(query);
  if (!parsed) return answer(failure(-2, 'param error'), undefined);
  const { params, charset } = parsed;
  const call = params.page === '3' ? params.call || 'callback' : undefined;
  if (call !== undefined && !CALLBACK_NAME.test(call)) return answer(failure(-2, 'call error'), undefined);
  const fault = await playCreateFault(runtime.faults.for(params.pay_id ?? ''), REFUSALS, caller, runtime.closing);
  if (fault !== undefined) return fault;
  if (params.id !== runtime.merchantId) return answer(failure(-2, 'undefined'), call);
  // Signed back in the notify and the return link, whose sign could not tell it from a separator.
  const ambiguous = fieldWithSeparator(params);
  if (ambiguous !== undefined) {
    return answer(failure(-2, `${/^\w+$/.test(ambiguous) ? ambiguous : 'param'} error`), call);
  }
  if (!authenticated(params, charset, runtime)) {
    return answer(failure(-2, params.sign ? 'sign fail' : 'token error'), call);
  }
  const checked = checkParameters(params);
  if (!checked.ok) return answer(failure(-2, checked.msg), call);
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
  if (!order) return answer(failure(-1, 'qrcode too little'), call);
  if (params.page === '3' || params.page === '4') return answer(orderAnswer(base, runtime, order), call);
  // The document's redirect flow: the browser lands on the gateway's own cashier page.
  return {
    status: 200,
    type: 'text/html; charset=utf-8',
    body: cashierPage(order, qrcodeUrl(base, order.orderId), payUrl(base, order.orderId)),
  };
}

/**
 * `ispay?id=&order_id=&token=` (or `pay_id=` for the newest order of that reference; `sign` instead
 * of `token` works too). Status 0 unpaid (with pay_time 0, which some clients test), 1 paid.
 */
export function isPaid(query: string, runtime: Runtime): GatewayReply {
  const parsed = parseQuery(query);
  if (!parsed) return answer(failure(-2, 'param error'), undefined);
  const { params, charset } = parsed;
  const call = params.call || undefined;
  if (call !== undefined && !CALLBACK_NAME.test(call)) return answer(failure(-2, 'call error'), undefined);
  if (params.id !== runtime.merchantId || !authenticated(params, charset, runtime)) {
    return answer(failure(-6, 'token error'), call);
  }
  const order = params.order_id
    ? runtime.state.order(params.order_id)
    : params.pay_id
      ? runtime.state.latestOrderOf(params.pay_id)
      : undefined;
  if (!order) return answer(failure(-1, 'no order'), call);
  const payment = runtime.state.paymentOf(order.orderId);
  const common = { order_id: order.orderId, pay_id: order.payId, type: order.type, price: formatCents(order.price) };
  if (!payment) {
    return answer(
      { status: 0, msg: 'no', ...common, money: formatCents(order.money), pay_time: 0, endTime: order.endTime },
      call,
    );
  }
  return answer(
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
  router.get('/creat_order', async (ctx) => {
    const caller = new AbortController();
    ctx.res.once('close', () => caller.abort());
    const reply = await creatOrder(ctx.querystring, sandboxUrl(ctx, runtime), runtime, caller.signal);
    if (reply) return sendReply(ctx, reply);
    ctx.respond = false;
    ctx.req.socket.destroy();
  });
  router.get('/ispay', (ctx) => sendReply(ctx, isPaid(ctx.querystring, runtime)));
}
