/**
 * The CodePay protocol, pure: canonical string, md5 sign, constant-time verify, creat_order
 * parameters and the gateway's answer. No I/O here; the edges (gateway client, routes) do that.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { formatCents, parseAmount, type Cents } from '../../shared/money.ts';
import type { Channel } from '../../shared/api.ts';
import { integerField } from '../protocols/answer-fields.ts';

export type Params = Record<string, string>;

/** Code units at which UTF-16 order and UTF-8 byte order can part: surrogates, and U+E000 to U+FFFF. */
const UTF16_ORDER_DIFFERS = /[\uD800-\uFFFF]/;

const byUtf8Bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The keys in UTF-8 byte order, as PHP's ksort orders plain string keys. Elsewhere UTF-16 order
 * (the default sort's) is byte order, and sorting strings spares two buffers a comparison.
 */
function sortedKeys(keys: string[]): string[] {
  return keys.some((key) => UTF16_ORDER_DIFFERS.test(key)) ? keys.sort(byUtf8Bytes) : keys.sort();
}

/** The keys that are signed: every non-empty parameter but `sign`, in order. */
function signedKeys(params: Params): string[] {
  return sortedKeys(Object.keys(params).filter((key) => key !== 'sign' && params[key] !== ''));
}

/** `a=1&b=2`: every non-empty parameter but `sign`, sorted by key, raw (not encoded) values. */
export function canonicalString(params: Params): string {
  return signedKeys(params)
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

export function md5Hex(text: string): string {
  return hash('md5', text, 'hex');
}

/** md5(canonical + key): the key follows with no separator. */
export function sign(params: Params, key: string): string {
  return md5Hex(canonicalString(params) + key);
}

/** What joins the canonical string's fields: inside a name or a value, it could be cut elsewhere. */
const FIELD_SEPARATOR = /[&=]/;

/**
 * The first received field whose name or value holds `&` or `=`, or undefined. The canonical string
 * cannot tell such a character from a real separator, so one sign covers several readings of it
 * (`pay_no=N&pay_tag=0` read as one pay_no): a received field set with one is refused whole. Pure,
 * for every provider whose sign joins raw `k=v` pairs with `&`.
 */
export function fieldWithSeparator(params: Params): string | undefined {
  for (const name in params) if (holdsSeparator(name) || holdsSeparator(params[name])) return name;
  return undefined;
}

/** Whether `text` holds `&` or `=`: a value we send the gateway (`param`) comes back signed in the notify. */
export function holdsSeparator(text: string): boolean {
  return FIELD_SEPARATOR.test(text);
}

/** The gateway's `pay_no`: its serial number, digits (32 in the document's example; at most 50). */
export function isPayNo(value: string | undefined): boolean {
  return value !== undefined && /^\d{1,50}$/.test(value);
}

/**
 * Checks `sign` (lower-case hex, as md5() prints it) over every non-empty field received, in
 * constant time. A set with `&` or `=` inside a field is never verified (fieldWithSeparator).
 */
export function verify(params: Params, key: string): boolean {
  const given = params.sign;
  if (typeof given !== 'string' || !/^[0-9a-f]{32}$/.test(given)) return false;
  if (fieldWithSeparator(params) !== undefined) return false;
  const expected = Buffer.from(sign(params, key), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/** PHP's urlencode: only [A-Za-z0-9_.-] stay, space becomes '+'. */
export function phpUrlencode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** The query string as the document builds it: sorted, non-empty, encoded, `sign` last. */
export function signedQuery(params: Params, key: string): string {
  const pairs = signedKeys(params).map((name) => `${phpUrlencode(name)}=${phpUrlencode(params[name])}`);
  return `${pairs.join('&')}&sign=${sign(params, key)}`;
}

/** Reads a form or query body into params; a repeated key makes it ambiguous, so it is refused. */
export function parseForm(body: string): Params | undefined {
  const params: Params = Object.create(null);
  for (const [name, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(params, name)) return undefined;
    params[name] = value;
  }
  return params;
}

export interface CreateOrderInput {
  merchantId: string;
  payId: string;
  type: Channel;
  price: Cents;
  param?: string;
  notifyUrl?: string;
  returnUrl?: string;
  /** Seconds until the QR expires; the gateway's default is 360. */
  outTime?: number;
}

/**
 * The creat_order parameters for a JSON answer (page=4). Every value is a string we sign;
 * optional ones that are empty or zero are left out rather than sent as "0".
 */
export function createOrderParams(input: CreateOrderInput): Params {
  const params: Params = {
    id: input.merchantId,
    pay_id: input.payId,
    type: String(input.type),
    price: formatCents(input.price),
    page: '4',
  };
  if (input.param) params.param = input.param;
  if (input.notifyUrl) params.notify_url = input.notifyUrl;
  if (input.returnUrl) params.return_url = input.returnUrl;
  if (input.outTime) params.outTime = String(input.outTime);
  return params;
}

/** What creat_order's JSON means to us. Times are Unix seconds, as the gateway sends them. */
export type CreateOrderAnswer =
  | {
      ok: true;
      gatewayOrderId: string;
      money: Cents;
      price: Cents;
      qrcode: string;
      serverTime: number;
      endTime: number;
    }
  | {
      ok: false;
      code: 'GATEWAY_SIGN_FAIL' | 'GATEWAY_BAD_PARAMS' | 'GATEWAY_REJECTED' | 'GATEWAY_BAD_RESPONSE';
      message: string;
    };

/** Interprets the gateway's page=4 JSON: status 0 ok, -1 failed, -2 bad parameters. */
export function parseCreateOrderAnswer(body: unknown): CreateOrderAnswer {
  if (typeof body !== 'object' || body === null) {
    return { ok: false, code: 'GATEWAY_BAD_RESPONSE', message: 'The gateway did not answer with a JSON object.' };
  }
  const answer = body as Record<string, unknown>;
  const status = integerField(answer.status);
  const gatewayMessage = typeof answer.msg === 'string' ? answer.msg.slice(0, 200) : '';
  if (status === -2 || status === -1) {
    if (/sign/i.test(gatewayMessage)) {
      return {
        ok: false,
        code: 'GATEWAY_SIGN_FAIL',
        message: `The gateway refused the signature (${gatewayMessage}): check CODEPAY_ID and CODEPAY_KEY.`,
      };
    }
    return status === -2
      ? {
          ok: false,
          code: 'GATEWAY_BAD_PARAMS',
          message: `The gateway refused the order's parameters: ${gatewayMessage || 'no reason given'}.`,
        }
      : {
          ok: false,
          code: 'GATEWAY_REJECTED',
          message: `The gateway could not create the order: ${gatewayMessage || 'no reason given'}.`,
        };
  }
  if (status !== 0) {
    return { ok: false, code: 'GATEWAY_BAD_RESPONSE', message: 'The gateway answered with an unknown status.' };
  }
  const money = parseAmount(answer.money);
  const price = parseAmount(answer.price);
  const serverTime = integerField(answer.serverTime);
  const endTime = integerField(answer.endTime);
  const qrcode = answer.qrcode;
  if (
    money === undefined ||
    price === undefined ||
    serverTime === undefined ||
    endTime === undefined ||
    typeof qrcode !== 'string' ||
    qrcode === ''
  ) {
    return {
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
      message: 'The gateway answered ok but left out money, price, times or the QR code.',
    };
  }
  return {
    ok: true,
    gatewayOrderId: answer.order_id === undefined ? '' : String(answer.order_id),
    money,
    price,
    qrcode,
    serverTime,
    endTime,
  };
}

/** What ispay says of one order: paid (with the payment's fields), not paid, or an error. */
export type IspayAnswer =
  { paid: true; payNo: string; money: Cents | undefined; fields: Params } | { paid: false } | { error: string };

/** ispay answers status 1 (paid, with pay_no), 0 (not paid), or a negative status with `msg`. */
export function parseIspayAnswer(body: unknown): IspayAnswer {
  if (typeof body !== 'object' || body === null) return { error: 'ispay did not answer with a JSON object' };
  const answer = body as Record<string, unknown>;
  const status = integerField(answer.status);
  if (status === 0) return { paid: false };
  if (status !== 1)
    return { error: `ispay answered status ${String(answer.status)}: ${String(answer.msg ?? '').slice(0, 100)}` };
  const fields: Params = {};
  for (const [name, value] of Object.entries(answer)) {
    if (typeof value === 'string' || typeof value === 'number') fields[name] = String(value);
  }
  if (!isPayNo(fields.pay_no)) return { error: 'ispay said paid but gave no pay_no of digits' };
  return { paid: true, payNo: fields.pay_no, money: parseAmount(answer.money), fields };
}
