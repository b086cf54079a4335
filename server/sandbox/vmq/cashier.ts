/**
 * The buyer's side of the V免签 sandbox: the page payUrl (the QR code) leads to. GET shows the amount
 * to pay; POST pays, as the phone would see the money (a form or a script that read the QR). With
 * isAuto the buyer types the amount: a typed amount other than reallyPrice matches no order and pays
 * nothing, as at V免签. Paying twice answers the first payment.
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { formatCents, parseAmount } from '../../../shared/money.ts';
import { readText } from '../body.ts';
import { escapeHtml, layout } from '../html.ts';
import { payOrder, stateOf, type VmqRuntime } from './runtime.ts';
import type { VmqSandboxOrder, VmqState } from './state.ts';

const BRAND = 'V免签 sandbox';
const TYPE_LABELS = { 1: '微信支付 WeChat Pay', 2: '支付宝 Alipay' } as const;

function page(order: VmqSandboxOrder, state: VmqState, note = ''): string {
  const amount = formatCents(order.reallyPrice);
  const head = `<p>${TYPE_LABELS[order.type]}</p>
<p class="amount">¥${amount}</p>
<p class="note">订单 order ${escapeHtml(order.orderId)} · ${escapeHtml(order.payId)}</p>${note}`;
  if (state === 1 || state === 2)
    return layout(BRAND, '已支付 Paid', `${head}<p class="ok">已支付 Paid ¥${amount}</p>`);
  if (state === -1)
    return layout(BRAND, '已过期 Expired', `${head}<p class="warn">订单已过期或已关闭 (expired or closed)</p>`);
  const typed = order.isAuto
    ? `<p class="warn">请输入金额 ¥${amount}，分毫不差 (type this exact amount)</p>
<p><input name="amount" inputmode="decimal" aria-label="amount" value=""></p>`
    : '';
  return layout(
    BRAND,
    `付款 Pay ¥${amount}`,
    `${head}<form method="post">${typed}<button type="submit">确认付款 Pay ¥${amount}</button></form>`,
  );
}

function answer(
  ctx: Context,
  runtime: VmqRuntime,
  status: number,
  order: VmqSandboxOrder,
  view: Record<string, unknown>,
  note = '',
): void {
  ctx.status = status;
  ctx.set('cache-control', 'no-store');
  if (ctx.accepts('html', 'json') === 'json') {
    ctx.body = { ...view, payId: order.payId, orderId: order.orderId, reallyPrice: formatCents(order.reallyPrice) };
  } else {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = page(order, stateOf(order, runtime), note);
  }
}

/** The typed amount of an isAuto payment, from the page's form; undefined: none typed (pay as told). */
async function typedAmount(ctx: Context): Promise<string | undefined> {
  if (!ctx.is('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(await readText(ctx, 4096)).get('amount')?.trim() || undefined;
}

async function pay(ctx: Context, runtime: VmqRuntime): Promise<void> {
  const order = runtime.state.order(String(ctx.params.orderId));
  if (!order) {
    ctx.status = 404;
    ctx.type = 'text/plain; charset=utf-8';
    ctx.body = 'No such sandbox order.';
    return;
  }
  const typed = await typedAmount(ctx);
  if (order.state === -1) {
    return answer(ctx, runtime, 410, order, {
      paid: false,
      error: { code: 'EXPIRED', message: 'The order expired or was closed.' },
    });
  }
  if (order.state !== 0) return answer(ctx, runtime, 200, order, { paid: true, duplicate: true });
  if (typed !== undefined && parseAmount(typed) !== order.reallyPrice) {
    const message = `¥${typed} matches no open order: V免签 tells orders apart by the exact amount.`;
    return answer(
      ctx,
      runtime,
      409,
      order,
      { paid: false, error: { code: 'AMOUNT_MISMATCH', message } },
      `<p class="warn">${escapeHtml(message)}</p>`,
    );
  }
  payOrder(order, runtime);
  answer(ctx, runtime, 200, order, { paid: true, duplicate: false });
}

export function registerVmqCashierRoutes(router: Router, runtime: VmqRuntime): void {
  router.get('/pay/:orderId', (ctx) => {
    const order = runtime.state.order(String(ctx.params.orderId));
    if (!order) {
      ctx.status = 404;
      ctx.body = 'No such sandbox order.';
      return;
    }
    answer(ctx, runtime, 200, order, { paid: order.state === 2 });
  });
  router.post('/pay/:orderId', (ctx) => pay(ctx, runtime));
}
