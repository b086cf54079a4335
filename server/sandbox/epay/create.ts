/**
 * Order creation, as an epay site does it: `mapi.php` (POST form, server to server, JSON answer)
 * and `submit.php` (GET or POST from the buyer's browser, which lands on the cashier). The pid and
 * sign are checked first, then each parameter with the gateway's own messages; the same
 * out_trade_no within 10 days is the same order while its terms are unchanged.
 */
import { isIP } from 'node:net';
import { inGatewayRange, parseAmount } from '../../../shared/money.ts';
import { DEVICES, gatewayEscape, verify, type Device, type Received } from '../../epay/protocol.ts';
import { playCreateFault } from '../play-fault.ts';
import { jsonReply, type GatewayReply } from '../reply.ts';
import type { AnswerKind } from './answer-kinds.ts';
import { text } from './fields.ts';
import { epayPayUrl, type EpayRuntime } from './runtime.ts';
import type { EpayOrder, NewEpayOrder } from './state.ts';

/** mapi.php answers code -1 (refused), -2 (the site's failure), HTTP 500, a PHP warning, or nothing. */
export const EPAY_CREATE_FAULTS = ['fail', 'error', 'http-500', 'garbage', 'hang'] as const;

/** The types every epay site offers; a real site may add its own. */
const TYPES = ['alipay', 'wxpay', 'qqpay'];
const OUT_TRADE_NO = /^[a-zA-Z0-9._\-|]+$/;
const NAME_MAX_BYTES = 127;
const MONEY = /^\d+(\.\d{1,2})?$/;

/** The app link each type's app opens, carrying the pay page (what a phone's app would show). */
const URL_SCHEMES: Record<string, string> = {
  alipay: 'alipays://platformapi/startapp?saId=10000007&qrcode=',
  wxpay: 'weixin://sandbox/pay?url=',
  qqpay: 'mqqapi://sandbox/pay?url=',
};

type Refusal = { code: number; msg: string };
const refuse = (code: number, msg: string): Refusal => ({ code, msg });

function httpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** PHP's mb_strcut: at most `max` bytes of UTF-8, never half a character. */
function cutBytes(value: string, max: number): string {
  let bytes = 0;
  let cut = '';
  for (const character of value) {
    bytes += Buffer.byteLength(character);
    if (bytes > max) break;
    cut += character;
  }
  return cut;
}

/** Which flow: mapi.php takes the buyer's clientip and device; submit.php needs a return_url. */
type Flow = 'mapi' | 'submit';

/** The order the fields ask for, or the gateway's refusal. */
function checkFields(fields: Received, runtime: EpayRuntime, flow: Flow): { order: NewEpayOrder } | Refusal {
  const field = (name: string) => text(fields, name);
  if (field('pid') === '') return refuse(-3, '商户ID不能为空');
  if (field('pid') !== runtime.pid) return refuse(-3, '商户不存在！');
  if (!verify(fields, runtime.key)) return refuse(-3, '签名校验失败，请返回重试！');
  const type = field('type');
  if (!TYPES.includes(type)) return refuse(-1, '支付方式(type)不存在');
  const outTradeNo = field('out_trade_no');
  if (!OUT_TRADE_NO.test(outTradeNo)) return refuse(-1, '订单号(out_trade_no)格式不正确');
  if (!httpUrl(field('notify_url'))) return refuse(-1, '通知地址(notify_url)不能为空');
  // Blank is not given: the sign leaves it out too.
  const returnUrl = field('return_url').trim() === '' ? '' : field('return_url');
  if (flow === 'submit' ? !httpUrl(returnUrl) : returnUrl !== '' && !httpUrl(returnUrl)) {
    return refuse(-1, '回调地址(return_url)不能为空');
  }
  const name = field('name');
  // PHP's empty(): "0" is empty too.
  if (name.trim() === '' || name === '0') return refuse(-1, '商品名称(name)不能为空');
  const money = MONEY.test(field('money')) ? parseAmount(field('money')) : undefined;
  if (money === undefined || !inGatewayRange(money)) return refuse(-1, '金额(money)不合法');
  let clientIp = '';
  let device: Device = 'pc';
  if (flow === 'mapi') {
    clientIp = field('clientip');
    if (isIP(clientIp) === 0) return refuse(-1, '用户IP地址(clientip)不正确');
    const given = field('device') || 'pc';
    if (!(DEVICES as readonly string[]).includes(given)) return refuse(-1, '设备类型(device)不正确');
    device = given as Device;
  }
  const storedName = cutBytes(gatewayEscape(name), NAME_MAX_BYTES);
  const param = gatewayEscape(field('param'));
  const notifyUrl = field('notify_url');
  return {
    order: {
      outTradeNo,
      type,
      name: storedName,
      param,
      money,
      notifyUrl,
      returnUrl,
      clientIp,
      device,
      terms: JSON.stringify([money, storedName, notifyUrl, returnUrl, param]),
    },
  };
}

/** A new order, or the recent one of the same out_trade_no when its terms are unchanged. */
export function createOrReuse(fields: Received, runtime: EpayRuntime, flow: Flow): EpayOrder | Refusal {
  const checked = checkFields(fields, runtime, flow);
  if (!('order' in checked)) return checked;
  const recent = runtime.state.recent(checked.order.outTradeNo);
  if (recent?.paid) return refuse(-1, '该订单号已完成支付，请勿重复提交');
  if (recent && recent.terms !== checked.order.terms) return refuse(-1, '该订单号已存在，请更换订单号后重试');
  return recent ?? runtime.state.create(checked.order);
}

/** What the answer kind carries: the pay page, as a QR's text, a page, or inside an app link. */
function payAnswer(kind: AnswerKind, order: EpayOrder, base: string): Record<string, string> {
  const page = epayPayUrl(base, order.tradeNo);
  if (kind === 'urlscheme') return { urlscheme: `${URL_SCHEMES[order.type]}${encodeURIComponent(page)}` };
  return { [kind]: page };
}

/** mapi.php's own refusals among the create faults. */
const REFUSALS = {
  fail: jsonReply({ code: -1, msg: '当前支付方式未开启' }),
  error: jsonReply({ code: -2, msg: '创建订单失败，请稍后重试' }),
};

/** `POST mapi.php` with its parsed form; `base`: the sandbox's URL as the caller reached it. */
export async function mapi(
  fields: Received,
  base: string,
  runtime: EpayRuntime,
  caller: AbortSignal,
): Promise<GatewayReply | null> {
  const faults = runtime.faults.for(text(fields, 'out_trade_no'));
  const fault = await playCreateFault(faults, REFUSALS, caller, runtime.closing);
  if (fault !== undefined) return fault;
  const order = createOrReuse(fields, runtime, 'mapi');
  if (!('tradeNo' in order)) return jsonReply({ ...order });
  const kind = runtime.answers.for(order.type, order.device);
  return jsonReply({ code: 1, msg: '创建订单成功', trade_no: order.tradeNo, ...payAnswer(kind, order, base) });
}
