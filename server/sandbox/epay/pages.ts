/** The epay sandbox's HTML: the buyer's pay page (its own QR, for a desktop, and a pay button) and errors. */
import { formatCents } from '../../../shared/money.ts';
import { gatewayUnescape } from '../../epay/protocol.ts';
import { escapeHtml, layout as sandboxLayout } from '../html.ts';
import type { EpayOrder } from './state.ts';

const layout = (title: string, content: string) => sandboxLayout('epay sandbox 彩虹易支付', title, content);

const TYPE_LABELS: Record<string, string> = {
  alipay: '支付宝 Alipay',
  wxpay: '微信支付 WeChat Pay',
  qqpay: 'QQ钱包 QQ Wallet',
};

function describeOrder(order: EpayOrder): string {
  // The stored name is escaped (htmlspecialchars(addslashes())): shown as the merchant wrote it.
  return `<p>${escapeHtml(TYPE_LABELS[order.type] ?? order.type)}</p>
<p>${escapeHtml(gatewayUnescape(order.name))}</p>
<p class="amount">¥${formatCents(order.money)}</p>
<p class="note">订单 trade_no ${escapeHtml(order.tradeNo)} · ${escapeHtml(order.outTradeNo)}</p>`;
}

/**
 * The page the QR, payurl and urlscheme lead to: a form that POSTs to its own URL. Only the answer
 * to the POST that paid links back to return_url with the signed fields (`returnLink`).
 */
export function epayPayPage(order: EpayOrder, qrImageUrl: string, returnLink = ''): string {
  if (order.paid) {
    const back = returnLink ? `<p><a href="${escapeHtml(returnLink)}">返回商户 Back to the merchant</a></p>` : '';
    return layout(
      '已支付 Paid',
      `${describeOrder(order)}<p class="ok">已支付 Paid ¥${formatCents(order.paid.money)}</p>${back}`,
    );
  }
  return layout(
    `付款 Pay ¥${formatCents(order.money)}`,
    `${describeOrder(order)}
<p><img src="${escapeHtml(qrImageUrl)}" alt="QR code of this page"></p>
<p class="note">用手机扫码，或在此付款 (scan with a phone, or pay here)</p>
<form method="post"><button type="submit">确认付款 Pay ¥${formatCents(order.money)}</button></form>`,
  );
}

/** What submit.php shows a browser whose request it refused (the gateway's sysmsg page). */
export function epayErrorPage(message: string): string {
  return layout('站点提示信息', `<p class="warn">${escapeHtml(message)}</p>`);
}
