/**
 * The V免签 server's API, as vmqphp V1.13 answers it: createOrder (signed), getOrder and checkOrder
 * (unsigned), closeOrder and getState (signed with md5(value + key)), and the phone's appPush. Every
 * answer is HTTP 200 JSON `{code, msg, data}`, code 1 or -1 with V免签's own Chinese messages. Each
 * call takes the query and gives a reply, so the same code answers over HTTP and in-process.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { formatCents, inGatewayRange, parseAmount } from '../../../shared/money.ts';
import { createOrderSign, type VmqType } from '../../vmq/protocol.ts';
import { GARBAGE, HTTP_500, jsonReply } from '../reply.ts';
import { sleep, untilGone } from '../runtime.ts';
import { notifyQuery } from './notify.ts';
import { payOrder, phoneBeats, stateOf, type VmqReply, type VmqRuntime } from './runtime.ts';
import type { VmqSandboxOrder } from './state.ts';

type Params = Record<string, string>;

function json(code: 1 | -1, msg: string, data: unknown = null): VmqReply {
  return jsonReply({ code, msg, data });
}

function md5(text: string): string {
  return hash('md5', text, 'hex');
}

function sameSign(given: string | undefined, expected: string): boolean {
  return (
    /^[0-9a-f]{32}$/.test(given ?? '') && timingSafeEqual(Buffer.from(given!, 'hex'), Buffer.from(expected, 'hex'))
  );
}

/** The buyer's page: what payUrl (the QR code) holds. `base`: the sandbox's URL as the caller reached it. */
export function vmqPayUrl(base: string, orderId: string): string {
  return `${base}/pay/${orderId}`;
}

/** A DOUBLE column in V免签's JSON: a number. */
const double = (cents: number) => Number(formatCents(cents));

function orderData(order: VmqSandboxOrder, base: string, runtime: VmqRuntime) {
  return {
    payId: order.payId,
    orderId: order.orderId,
    payType: order.type,
    price: double(order.price),
    reallyPrice: double(order.reallyPrice),
    payUrl: vmqPayUrl(base, order.orderId),
    isAuto: order.isAuto ? 1 : 0,
    state: stateOf(order, runtime),
    timeOut: runtime.state.orderTimeOutMinutes,
    date: order.createdAt,
  };
}

/** Plays a createOrder fault: its reply, null for 'hang' (no answer at all), undefined to go on. */
async function playFault(
  runtime: VmqRuntime,
  payId: string,
  caller: AbortSignal,
): Promise<VmqReply | null | undefined> {
  const faults = runtime.faults.for(payId);
  if (faults.slowMs) await sleep(faults.slowMs, AbortSignal.any([caller, runtime.closing]));
  switch (faults.createOrder) {
    case 'fail':
      return json(-1, '系统繁忙，请稍后再试');
    case 'http-500':
      return HTTP_500;
    case 'garbage':
      return GARBAGE;
    case 'hang':
      await untilGone(caller, runtime.closing);
      return null;
    default:
      return undefined;
  }
}

/** `createOrder`: `null` is no answer (the 'hang' fault), once the caller gave up. */
export async function createOrder(
  params: Params,
  base: string,
  runtime: VmqRuntime,
  caller: AbortSignal,
): Promise<VmqReply | null> {
  phoneBeats(runtime);
  const { payId = '', param = '', type = '', price = '', sign } = params;
  const fault = await playFault(runtime, payId, caller);
  if (fault !== undefined) return fault;
  if (payId === '') return json(-1, '请传入商户订单号');
  if (type !== '1' && type !== '2') return json(-1, '请传入支付方式=>1|微信 2|支付宝');
  const cents = parseAmount(price);
  if (cents === undefined || !inGatewayRange(cents)) return json(-1, '请传入订单金额');
  if (!sameSign(sign, createOrderSign(payId, param, type, price, runtime.merchantKey))) return json(-1, '签名错误');
  if (runtime.switches.phoneOffline) return json(-1, '监控端状态异常，请检查');
  const { state } = runtime;
  const created = state.createOrder({
    payId,
    param,
    type: Number(type) as VmqType,
    price: cents,
    notifyUrl: params.notifyUrl || runtime.defaultNotifyUrl,
    returnUrl: params.returnUrl ?? '',
    isAuto: runtime.switches.noFixedQr,
  });
  if (created === 'exists') return json(-1, '商户订单号已存在');
  if (created === 'busy') return json(-1, '订单超出负荷，请稍后重试');
  if (params.isHtml === '1') {
    const location = vmqPayUrl(base, created.orderId);
    return { status: 302, type: 'text/plain; charset=utf-8', body: `Redirecting to ${location}`, location };
  }
  return json(1, '成功', orderData(created, base, runtime));
}

export function getOrder(params: Params, base: string, runtime: VmqRuntime): VmqReply {
  const order = runtime.state.order(params.orderId ?? '');
  if (!order) return json(-1, '云端订单编号不存在');
  return json(1, '成功', orderData(order, base, runtime));
}

/** Unsigned, as V免签's: a paid order answers its return URL with the notify's signed query. */
export function checkOrder(params: Params, base: string, runtime: VmqRuntime): VmqReply {
  const order = runtime.state.order(params.orderId ?? '');
  if (!order) return json(-1, '云端订单编号不存在');
  if (order.state === -1) return json(-1, '订单已过期');
  if (order.state === 0) return json(-1, '订单未支付');
  const returnUrl = order.returnUrl || vmqPayUrl(base, order.orderId);
  const separator = returnUrl.includes('?') ? '&' : '?';
  // The query as it was signed, without the notify faults: those are the notify's, not the order's.
  return json(1, '成功', `${returnUrl}${separator}${notifyQuery(order, runtime.merchantKey)}`);
}

export function closeOrder(params: Params, runtime: VmqRuntime): VmqReply {
  const orderId = params.orderId ?? '';
  if (!sameSign(params.sign, md5(orderId + runtime.merchantKey))) return json(-1, '签名校验不通过');
  const order = runtime.state.order(orderId);
  if (!order) return json(-1, '云端订单编号不存在');
  if (order.state !== 0) return json(-1, '订单状态不允许关闭');
  runtime.state.close(order);
  return json(1, '成功');
}

export function getState(params: Params, runtime: VmqRuntime): VmqReply {
  phoneBeats(runtime);
  const t = params.t ?? '';
  if (!sameSign(params.sign, md5(t + runtime.merchantKey))) return json(-1, '签名校验不通过');
  const { lastHeartbeat, lastPayment } = runtime.state;
  return json(1, '成功', {
    lastheart: lastHeartbeat,
    lastpay: lastPayment,
    jkstate: runtime.switches.phoneOffline ? 0 : 1,
  });
}

/** The phone reports money it saw: `sign = md5(type + price + t + key)`; the open order of that type and amount is paid. */
export function appPush(params: Params, runtime: VmqRuntime): VmqReply {
  const { t = '', type = '', price = '' } = params;
  if (!sameSign(params.sign, md5(type + price + t + runtime.merchantKey))) return json(-1, '签名校验不通过');
  if (runtime.switches.phoneOffline) return json(-1, '监控端状态异常，请检查');
  const cents = parseAmount(price);
  const order =
    cents === undefined || (type !== '1' && type !== '2')
      ? undefined
      : runtime.state.openOrderPaying(Number(type) as VmqType, cents);
  if (!order) return json(-1, '服务器没有找到此订单');
  payOrder(order, runtime);
  return json(1, '成功');
}
