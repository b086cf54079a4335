/**
 * V免签 (VMQ), pure: the createOrder request and answer, the GET notify with its concatenated sign,
 * and the getOrder / checkOrder / closeOrder / getState calls. No I/O here.
 *
 * Its signs are md5 over the values joined with no separator, so the boundaries between values are
 * not signed: `payId` "A1" with type 2 signs like `payId` "A" with type 1 and a price starting with
 * "2". A verified notify proves the key's holder sent those characters, not how they split; the
 * caller must match payId, type and both prices against the order it created before trusting it.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { formatCents, parseAmount, type Cents } from '../../shared/money.ts';
import { integerField } from '../protocols/answer-fields.ts';

export type Params = Record<string, string>;
/** Fields as a query parser hands them over: a repeated name may be an array. */
export type Received = Record<string, string | string[] | undefined>;

/** 1 WeChat, 2 Alipay: V免签 knows no other. */
export type VmqType = 1 | 2;

function md5(text: string): string {
  return hash('md5', text, 'hex');
}

/** Compares a received sign with ours in constant time; md5() prints lower case, which is what V免签 compares. */
function sameSign(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || !/^[0-9a-f]{32}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}

/** `{base}/{path}`, whether or not the server's base URL ends with a slash or sits in a folder. */
function endpoint(base: string, path: string, query: Params): string {
  const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
  url.search = new URLSearchParams(query).toString();
  return url.href;
}

/** md5(payId + param + type + price + key): the create sign, over the strings exactly as sent. */
export function createOrderSign(payId: string, param: string, type: string, price: string, key: string): string {
  return md5(payId + param + type + price + key);
}

/** md5(payId + param + type + price + reallyPrice + key): the notify's (and checkOrder's return URL's) sign. */
export function notifySign(
  fields: { payId: string; param: string; type: string; price: string; reallyPrice: string },
  key: string,
): string {
  return md5(fields.payId + fields.param + fields.type + fields.price + fields.reallyPrice + key);
}

export interface CreateOrderInput {
  payId: string;
  type: VmqType;
  price: Cents;
  param?: string;
  notifyUrl?: string;
  returnUrl?: string;
}

/**
 * The signed parameters of `{base}/createOrder` with `isHtml=0` (a JSON answer, not a redirect).
 * V免签 puts param into the notify's query unencoded: keep it to URL-safe characters.
 */
export function createOrderParams(input: CreateOrderInput, key: string): Params {
  const price = formatCents(input.price);
  const param = input.param ?? '';
  const params: Params = { payId: input.payId, type: String(input.type), price, param, isHtml: '0' };
  if (input.notifyUrl) params.notifyUrl = input.notifyUrl;
  if (input.returnUrl) params.returnUrl = input.returnUrl;
  params.sign = createOrderSign(input.payId, param, params.type, price, key);
  return params;
}

export function createOrderUrl(base: string, input: CreateOrderInput, key: string): string {
  return endpoint(base, 'createOrder', createOrderParams(input, key));
}

/** An order as createOrder and getOrder describe it. */
export interface VmqOrder {
  payId: string;
  orderId: string;
  type: VmqType;
  price: Cents;
  /** What the buyer must pay: shifted by a cent or more so that no two open orders share it. */
  reallyPrice: Cents;
  /** The QR code's content. */
  payUrl: string;
  /** The QR has no amount in it: the buyer types reallyPrice. */
  buyerTypesAmount: boolean;
  /** 0 unpaid, 1 paid, 2 paid but its notify failed, -1 expired or closed. */
  state: number;
  timeOutMinutes: number;
  /** Unix seconds. */
  createdAt: number;
}

export type GatewayFailure = {
  ok: false;
  code:
    | 'GATEWAY_SIGN_FAIL'
    | 'GATEWAY_REJECTED'
    | 'GATEWAY_UNAVAILABLE'
    | 'GATEWAY_MONITOR_OFFLINE'
    | 'GATEWAY_BAD_RESPONSE';
  message: string;
};

function asObject(body: unknown): Record<string, unknown> | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}

function gatewayMessage(answer: Record<string, unknown>): string {
  return typeof answer.msg === 'string' && answer.msg.trim() !== '' ? answer.msg.slice(0, 200) : 'no reason given';
}

const NOT_JSON: GatewayFailure = {
  ok: false,
  code: 'GATEWAY_BAD_RESPONSE',
  message: 'The V免签 server did not answer with a JSON object.',
};

/** Every refusal is code -1; only its message tells a stopped phone or a bad sign from the rest. */
function refusal(answer: Record<string, unknown>): GatewayFailure {
  const message = gatewayMessage(answer);
  if (/监控端/.test(message)) {
    return {
      ok: false,
      code: 'GATEWAY_MONITOR_OFFLINE',
      message: `The V免签 monitor phone is offline (${message}): payments cannot be seen until it is back.`,
    };
  }
  if (/签名/.test(message))
    return {
      ok: false,
      code: 'GATEWAY_SIGN_FAIL',
      message: `The V免签 server refused the signature (${message}): check VMQ_KEY.`,
    };
  return { ok: false, code: 'GATEWAY_REJECTED', message: `The V免签 server refused: ${message}.` };
}

function readOrder(data: unknown): VmqOrder | undefined {
  const fields = asObject(data);
  if (!fields) return undefined;
  const type = integerField(fields.payType);
  const price = parseAmount(fields.price);
  const reallyPrice = parseAmount(fields.reallyPrice);
  const isAuto = integerField(fields.isAuto);
  const state = integerField(fields.state);
  const timeOut = integerField(fields.timeOut);
  const createdAt = integerField(fields.date);
  const { payId, orderId, payUrl } = fields;
  if (typeof payId !== 'string' || typeof orderId !== 'string' || typeof payUrl !== 'string' || payUrl === '')
    return undefined;
  if ((type !== 1 && type !== 2) || price === undefined || reallyPrice === undefined) return undefined;
  if (
    (isAuto !== 0 && isAuto !== 1) ||
    state === undefined ||
    timeOut === undefined ||
    timeOut <= 0 ||
    createdAt === undefined
  )
    return undefined;
  return {
    payId,
    orderId,
    type,
    price,
    reallyPrice,
    payUrl,
    buyerTypesAmount: isAuto === 1,
    state,
    timeOutMinutes: timeOut,
    createdAt,
  };
}

export type OrderAnswer = { ok: true; order: VmqOrder } | GatewayFailure;

function orderAnswer(body: unknown, what: string): OrderAnswer {
  const answer = asObject(body);
  if (!answer) return NOT_JSON;
  const code = integerField(answer.code);
  if (code === -1) return refusal(answer);
  const order = code === 1 ? readOrder(answer.data) : undefined;
  if (!order)
    return {
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
      message: `The V免签 ${what} answer lacks code 1 or one of its order's fields.`,
    };
  return { ok: true, order };
}

/** createOrder's JSON: `{code: 1, data: {payId, orderId, payType, price, reallyPrice, payUrl, isAuto, state, timeOut, date}}`. */
export function readCreateOrderAnswer(body: unknown): OrderAnswer {
  return orderAnswer(body, 'createOrder');
}

/** `getOrder?orderId=` (unsigned): the same order fields, with its state. */
export function getOrderUrl(base: string, orderId: string): string {
  return endpoint(base, 'getOrder', { orderId });
}

export function readGetOrderAnswer(body: unknown): OrderAnswer {
  return orderAnswer(body, 'getOrder');
}

/** A verified V免签 payment. Prices in cents; the raw strings are what was signed. */
export interface VmqPayment {
  payId: string;
  param: string;
  type: VmqType;
  price: Cents;
  reallyPrice: Cents;
}

export type NotifyReading =
  { ok: true; payment: VmqPayment } | { ok: false; reason: 'bad-sign' | 'bad-fields'; message: string };

const NOTIFY_FIELDS = ['payId', 'param', 'type', 'price', 'reallyPrice'] as const;

/**
 * Reads the notify GET's query (or checkOrder's return URL's): sign checked over the raw strings,
 * prices in cents whatever their form (the notify sends DOUBLE columns, `0.1`; checkOrder `0.10`).
 * Other fields are tolerated. Answer V免签 with exactly `success` once it is handled.
 */
export function readNotify(received: Received, key: string): NotifyReading {
  const values = NOTIFY_FIELDS.map((name) => received[name]);
  if (!values.every((value): value is string => typeof value === 'string')) {
    return {
      ok: false,
      reason: 'bad-fields',
      message: 'The notify lacks one of payId, param, type, price, reallyPrice (or repeats one).',
    };
  }
  const [payId, param, typeText, priceText, reallyPriceText] = values;
  const expected = notifySign({ payId, param, type: typeText, price: priceText, reallyPrice: reallyPriceText }, key);
  if (!sameSign(received.sign, expected))
    return { ok: false, reason: 'bad-sign', message: 'The notify is not signed with our V免签 key.' };
  const price = parseAmount(priceText);
  const reallyPrice = parseAmount(reallyPriceText);
  if ((typeText !== '1' && typeText !== '2') || price === undefined || reallyPrice === undefined || payId === '') {
    return {
      ok: false,
      reason: 'bad-fields',
      message: 'The notify is signed but its payId, type or prices are not what V免签 sends.',
    };
  }
  return { ok: true, payment: { payId, param, type: Number(typeText) as VmqType, price, reallyPrice } };
}

/** `checkOrder?orderId=` (unsigned). */
export function checkOrderUrl(base: string, orderId: string): string {
  return endpoint(base, 'checkOrder', { orderId });
}

export type CheckOrderAnswer =
  { paid: true; payment: VmqPayment } | { paid: false; why: 'unpaid' | 'expired' | 'unknown-order' } | GatewayFailure;

/**
 * checkOrder answers code 1 with `data` the return URL carrying the payment's signed query (state 1
 * or 2, paid), or code -1 with 订单未支付 (unpaid), 订单已过期 (expired) or 云端订单编号不存在.
 * The paid answer is believed only when that query's sign verifies.
 */
export function readCheckOrderAnswer(body: unknown, key: string): CheckOrderAnswer {
  const answer = asObject(body);
  if (!answer) return NOT_JSON;
  const code = integerField(answer.code);
  if (code === -1) {
    const message = gatewayMessage(answer);
    if (/未支付/.test(message)) return { paid: false, why: 'unpaid' };
    if (/过期/.test(message)) return { paid: false, why: 'expired' };
    if (/不存在/.test(message)) return { paid: false, why: 'unknown-order' };
    return refusal(answer);
  }
  if (code !== 1 || typeof answer.data !== 'string') {
    return {
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
      message: 'The V免签 checkOrder answer is neither code 1 with a URL nor code -1.',
    };
  }
  let query: URLSearchParams;
  try {
    query = new URL(answer.data, 'http://return.invalid/').searchParams;
  } catch {
    return {
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
      message: 'The V免签 checkOrder answer has no readable return URL.',
    };
  }
  const reading = readNotify(Object.fromEntries(query), key);
  if (!reading.ok)
    return {
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
      message: `The V免签 checkOrder answer says paid, but ${reading.message}`,
    };
  return { paid: true, payment: reading.payment };
}

/** `closeOrder?orderId=&sign=md5(orderId + key)`. */
export function closeOrderUrl(base: string, orderId: string, key: string): string {
  return endpoint(base, 'closeOrder', { orderId, sign: md5(orderId + key) });
}

export type CloseOrderAnswer = { ok: true } | GatewayFailure;

/** code 1 closed; -1 with a reason (bad sign, not open any more, unknown order). */
export function readCloseOrderAnswer(body: unknown): CloseOrderAnswer {
  const answer = asObject(body);
  if (!answer) return NOT_JSON;
  const code = integerField(answer.code);
  if (code === 1) return { ok: true };
  if (code === -1) return refusal(answer);
  return { ok: false, code: 'GATEWAY_BAD_RESPONSE', message: 'The V免签 closeOrder answer has an unknown code.' };
}

/** `getState?t=&sign=md5(t + key)`, t the Unix time in seconds (V免签 does not check it). */
export function getStateUrl(base: string, key: string, nowSeconds: number): string {
  const t = String(Math.trunc(nowSeconds));
  return endpoint(base, 'getState', { t, sign: md5(t + key) });
}

export type MonitorState = 'online' | 'offline' | 'unbound';

export type StateAnswer =
  | { ok: true; monitor: MonitorState; lastHeartbeat: number | undefined; lastPayment: number | undefined }
  | GatewayFailure;

/** jkstate 1 online, 0 offline, -1 never bound; lastheart and lastpay are Unix seconds (0 or empty: never). */
const MONITOR_STATES: Record<number, MonitorState> = { 1: 'online', 0: 'offline', [-1]: 'unbound' };

/** getState's `{code: 1, data: {lastheart, lastpay, jkstate}}`. */
export function readStateAnswer(body: unknown): StateAnswer {
  const answer = asObject(body);
  if (!answer) return NOT_JSON;
  const code = integerField(answer.code);
  if (code === -1) return refusal(answer);
  const data = asObject(answer.data);
  const jkstate = data ? integerField(data.jkstate) : undefined;
  const monitor = jkstate === undefined ? undefined : MONITOR_STATES[jkstate];
  if (code !== 1 || !data || !monitor) {
    return {
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
      message: 'The V免签 getState answer lacks code 1 or the monitor state.',
    };
  }
  const time = (value: unknown) => {
    const seconds = integerField(value);
    return seconds ? seconds : undefined;
  };
  return { ok: true, monitor, lastHeartbeat: time(data.lastheart), lastPayment: time(data.lastpay) };
}
