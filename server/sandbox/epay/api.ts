/**
 * `api.php`: `act=order` (the order query: pid and key in the URL) and `act=refund` (POST: code 0 is
 * success). The key is compared in constant time and appears in no answer nor log line.
 */
import { timingSafeEqual, hash } from 'node:crypto';
import { formatCents, parseAmount } from '../../../shared/money.ts';
import type { Received } from '../../epay/protocol.ts';
import { jsonReply, type GatewayReply } from '../reply.ts';
import { text } from './fields.ts';
import { epayPayUrl, type EpayRuntime } from './runtime.ts';
import { chinaTime, refundable, statusOf, type EpayOrder } from './state.ts';

function sameSecret(given: string, expected: string): boolean {
  // Digests: equal lengths, and the timing says nothing about the key.
  return timingSafeEqual(hash('sha256', given, 'buffer'), hash('sha256', expected, 'buffer'));
}

/** The merchant's pid and key, then the order by trade_no or out_trade_no; or the refusal. */
function findOrder(fields: Received, runtime: EpayRuntime): EpayOrder | GatewayReply {
  const pid = text(fields, 'pid');
  const key = text(fields, 'key');
  if (pid === '' || key === '') return jsonReply({ code: -2, msg: '商户ID或密钥不能为空' });
  if (pid !== runtime.pid) return jsonReply({ code: -3, msg: '商户不存在' });
  if (!sameSecret(key, runtime.key)) return jsonReply({ code: -3, msg: '商户密钥错误' });
  const tradeNo = text(fields, 'trade_no');
  const outTradeNo = text(fields, 'out_trade_no');
  if (!tradeNo && !outTradeNo) return jsonReply({ code: -4, msg: '订单号不能为空' });
  const order = tradeNo ? runtime.state.order(tradeNo) : runtime.state.ofOutTradeNo(outTradeNo);
  return order ?? jsonReply({ code: -1, msg: '订单号不存在' });
}

/** `act=order`: the order as the gateway's table holds it (money a decimal(10,2) string; status 0, 1 or 2). */
export function orderQuery(fields: Received, base: string, runtime: EpayRuntime): GatewayReply {
  const order = findOrder(fields, runtime);
  if (!('tradeNo' in order)) return order;
  return jsonReply({
    code: 1,
    msg: '查询订单号成功！',
    trade_no: order.tradeNo,
    out_trade_no: order.outTradeNo,
    api_trade_no: order.paid?.apiTradeNo ?? '',
    type: order.type,
    pid: runtime.pid,
    addtime: chinaTime(order.addedAt, 'datetime'),
    endtime: order.paid ? chinaTime(order.paid.at, 'datetime') : null,
    name: order.name,
    money: formatCents(order.paid?.money ?? order.money),
    param: order.param,
    buyer: order.paid?.buyer ?? '',
    status: statusOf(order),
    payurl: epayPayUrl(base, order.tradeNo),
  });
}

/** `act=refund`: a paid order's money back, in parts if need be, never more than was paid. */
export function refund(fields: Received, runtime: EpayRuntime): GatewayReply {
  const order = findOrder(fields, runtime);
  if (!('tradeNo' in order)) return order;
  if (!order.paid) return jsonReply({ code: -1, msg: '只支持退款已支付的订单' });
  const moneyText = text(fields, 'money');
  const money = /^\d+(\.\d{1,2})?$/.test(moneyText) ? parseAmount(moneyText) : undefined;
  if (money === undefined || money <= 0) return jsonReply({ code: -1, msg: '退款金额不合法' });
  const left = refundable(order);
  if (money > left) {
    return jsonReply({ code: -1, msg: `退款金额不能大于订单可退金额(${formatCents(left)})` });
  }
  runtime.state.refund(order, money);
  return jsonReply({ code: 0, msg: '退款成功！', trade_no: order.tradeNo, money: formatCents(money) });
}
