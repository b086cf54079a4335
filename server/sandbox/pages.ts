/** The sandbox's HTML: the cashier (creat_order without page=3/4) and the buyer's payment page. No script. */
import { CHANNEL_NAMES } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import { escapeHtml, layout as sandboxLayout } from './html.ts';
import type { Order, Payment } from './state.ts';

const CHANNEL_LABELS = { alipay: '支付宝 Alipay', qqpay: 'QQ钱包 QQ Wallet', wechat: '微信支付 WeChat Pay' } as const;

const layout = (title: string, content: string) => sandboxLayout('CodePay sandbox', title, content);

function describeOrder(order: Order): string {
  const price = order.money === order.price ? '' : `<p class="note">原价 price ¥${formatCents(order.price)}</p>`;
  return `<p>${escapeHtml(CHANNEL_LABELS[CHANNEL_NAMES[order.type]])}</p>
<p class="amount">¥${formatCents(order.money)}</p>${price}
<p class="note">订单 order ${escapeHtml(order.orderId)} · ${escapeHtml(order.payId)}</p>`;
}

function describePayment(payment: Payment, returnLink: string): string {
  const late = payment.late ? '<p class="warn">订单已过期后付款 (late payment: the order had expired)</p>' : '';
  const back = returnLink ? `<p><a href="${escapeHtml(returnLink)}">返回商户 Back to the merchant</a></p>` : '';
  return `<p class="ok">已支付 Paid ¥${formatCents(payment.money)}</p>${late}
<p class="note">流水号 pay_no ${escapeHtml(payment.payNo)}</p>${back}`;
}

/**
 * The buyer's page, the target of the QR code: a plain form that POSTs to its own URL. The answer to
 * the POST that paid links back to the merchant's return_url with the signed payment fields
 * (`returnLink`); the page shown to anyone later has '' there: no link.
 */
export function payPage(order: Order, payment: Payment | undefined, expired: boolean, returnLink = ''): string {
  if (payment) return layout('已支付 Paid', describeOrder(order) + describePayment(payment, returnLink));
  const warning = expired
    ? '<p class="warn">二维码已过期，仍可付款 (expired: paying now is a late payment)</p>'
    : `<p class="note">请在 ${new Date(order.endTime * 1000).toISOString()} 前付款 (pay before then)</p>`;
  return layout(
    `付款 Pay ¥${formatCents(order.money)}`,
    `${describeOrder(order)}${warning}
<form method="post"><button type="submit">确认付款 Pay ¥${formatCents(order.money)}</button></form>`,
  );
}

/** What creat_order shows a redirected browser (no page=3/4): the QR to scan, as the real cashier does. */
export function cashierPage(order: Order, qrcode: string, payUrl: string): string {
  return layout(
    `扫码支付 Scan to pay ¥${formatCents(order.money)}`,
    `${describeOrder(order)}
<p><img src="${escapeHtml(qrcode)}" alt="QR code: ${escapeHtml(payUrl)}"></p>
<p class="note">用手机扫码，或 <a href="${escapeHtml(payUrl)}">打开付款页 open the payment page</a></p>`,
  );
}
