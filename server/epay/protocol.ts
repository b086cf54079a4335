/**
 * 彩虹易支付 (epay) V1 with MD5, pure: canonical string, sign and constant-time verify, the mapi.php
 * create request and its answer, the GET notify, and the api.php order query and refund. No I/O
 * here; the provider that sends and receives these lives elsewhere.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { formatCents, parseAmount, type Cents } from '../../shared/money.ts';
import { integerField } from '../protocols/answer-fields.ts';

export type Params = Record<string, string>;
/** Fields as a query or form parser hands them over: a repeated or bracketed name may be an array. */
export type Received = Record<string, string | string[] | undefined>;

/** The characters PHP's trim() strips: a value of only these is left out of the signed string. */
// eslint-disable-next-line no-control-regex -- PHP's trim() strips NUL and vertical tab too
const PHP_BLANK = /^[ \t\n\r\0\x0B]*$/;

/** UTF-8 byte order is code point order, which is how PHP's ksort orders these string keys. */
function byCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i].codePointAt(0)! - right[i].codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** The parameters that are signed: strings, not blank, neither `sign` nor `sign_type`, in key order. */
function signedEntries(fields: Received): [string, string][] {
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => {
      const [name, value] = entry;
      return typeof value === 'string' && !PHP_BLANK.test(value) && name !== 'sign' && name !== 'sign_type';
    })
    .sort(([a], [b]) => byCodePoints(a, b));
}

/**
 * A query or form body parsed as PHP parses it ($_GET, $_POST): `+` is a space, percent escapes
 * decoded, a repeated name keeps its last value, a bracketed name (`a[]`, `a[x]`) makes an array,
 * which the sign leaves out. Both sides' sign checks run over what this gives.
 */
export function phpFields(text: string): Received {
  const fields: Received = Object.create(null);
  for (const [name, value] of new URLSearchParams(text)) {
    const bracket = name.indexOf('[');
    if (bracket > 0) {
      const array = fields[name.slice(0, bracket)];
      fields[name.slice(0, bracket)] = Array.isArray(array) ? [...array, value] : [value];
    } else {
      fields[name] = value;
    }
  }
  return fields;
}

/** `a=1&b=2` with the raw (not URL-encoded) values. */
export function canonicalString(fields: Received): string {
  return signedEntries(fields)
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** md5(canonical + key) in lower-case hex. */
export function sign(fields: Received, key: string): string {
  return hash('md5', canonicalString(fields) + key, 'hex');
}

/**
 * Checks `sign` over the raw strings received, in constant time. Unknown fields are signed like any
 * other (the gateway signs whatever it sends). The gateway compares with `===` against md5()'s lower
 * case, so an upper-case sign is refused; a `sign_type` other than MD5 is a protocol we do not speak.
 */
export function verify(fields: Received, key: string): boolean {
  const given = fields.sign;
  if (typeof given !== 'string' || !/^[0-9a-f]{32}$/.test(given)) return false;
  if (fields.sign_type !== undefined && fields.sign_type !== 'MD5') return false;
  return timingSafeEqual(Buffer.from(sign(fields, key), 'hex'), Buffer.from(given, 'hex'));
}

/** The fields with a sign and `sign_type=MD5`, as every request and notify carries them. */
export function signed(fields: Params, key: string): Params {
  return { ...fields, sign: sign(fields, key), sign_type: 'MD5' };
}

/**
 * A URL or body that carries the merchant key. It shows only its redacted form to anything that
 * prints it (String(), JSON, util.inspect, a template literal): the key cannot reach a log line or an
 * error message by accident, and a mistaken fetch(keyed) sends the redacted text and fails loudly.
 * The sender calls reveal() at the one place it hands the text to the HTTP client, and never logs it.
 */
export class Keyed {
  readonly #text: string;
  /** The same text with the key replaced by `***`: what a log line may show. */
  readonly redacted: string;

  /** `build` makes the text from the key; it is built once more with `***` for the redacted form. */
  constructor(build: (key: string) => string, key: string) {
    this.#text = build(key);
    this.redacted = build('***');
  }

  /** The real text, key included: only for the request itself. */
  reveal(): string {
    return this.#text;
  }

  toString(): string {
    return this.redacted;
  }

  toJSON(): string {
    return this.redacted;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Keyed(${this.redacted})`;
  }
}

/** `{base}/{path}`, whether or not the merchant's base URL ends with a slash or sits in a folder. */
export function endpoint(base: string, path: string): URL {
  return new URL(path, base.endsWith('/') ? base : `${base}/`);
}

/** Payment types every epay site has; a site may add its own (`bank`, `jdpay`, …). */
export type EpayType = 'alipay' | 'wxpay' | 'qqpay' | (string & {});
export const DEVICES = ['pc', 'mobile', 'qq', 'wechat', 'alipay', 'jump'] as const;
export type Device = (typeof DEVICES)[number];

/** The gateway's own rule for out_trade_no (mapi.php refuses anything else). */
const OUT_TRADE_NO = /^[a-zA-Z0-9._\-|]+$/;
const NAME_MAX_BYTES = 127;

export interface CreateInput {
  pid: string;
  type: EpayType;
  outTradeNo: string;
  notifyUrl: string;
  returnUrl?: string;
  /** The product name; cut to what the gateway keeps (see `cutName`). */
  name: string;
  money: Cents;
  /** The buyer's IP address (required by mapi.php, which validates it). */
  clientIp: string;
  device?: Device;
  /** Returned as given, but stored HTML-escaped: keep it plain ASCII without `&<>"'\`. */
  param?: string;
}

export type CreateRequest = { ok: true; form: Params } | { ok: false; field: string; message: string };

/**
 * How the gateway stores `name` and `param`: htmlspecialchars(addslashes(value)) with PHP 8.1's
 * default ENT_QUOTES. The notify and the order query carry this form (and sign it).
 */
export function gatewayEscape(value: string): string {
  return value
    .replace(/[\\'"\0]/g, (c) => (c === '\0' ? '\\0' : `\\${c}`))
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#039;' })[c]!);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#039': "'", '#39': "'", apos: "'" };

/** The text a stored name or param stands for (htmlspecialchars_decode, then stripslashes): for display only. */
export function gatewayUnescape(value: string): string {
  return value
    .replace(/&(amp|lt|gt|quot|#0?39|apos);/g, (_, name: string) => ENTITIES[name])
    .replace(/\\(.?)/gs, (_, c: string) => (c === '0' ? '\0' : c));
}

/**
 * The name cut, without splitting a character, so that the form the gateway stores stays within
 * its 127 bytes: mapi.php cuts the escaped form (`mb_strcut` after htmlspecialchars), which could
 * end it inside `&amp;`. Cutting before that keeps the name the gateway echoes whole.
 */
export function cutName(name: string): string {
  let bytes = 0;
  let cut = '';
  for (const character of name) {
    bytes += Buffer.byteLength(gatewayEscape(character));
    if (bytes > NAME_MAX_BYTES) break;
    cut += character;
  }
  return cut;
}

function httpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** The signed form body of `POST {base}/mapi.php`; refuses what the gateway would refuse. */
export function createRequest(input: CreateInput, key: string): CreateRequest {
  const refuse = (field: string, message: string): CreateRequest => ({ ok: false, field, message });
  if (!/^\d+$/.test(input.pid)) return refuse('pid', 'The epay merchant number (pid) must be digits.');
  if (!/^[a-z0-9]+$/.test(input.type))
    return refuse('type', `The payment type "${input.type}" is not an epay type name.`);
  if (!OUT_TRADE_NO.test(input.outTradeNo))
    return refuse('out_trade_no', 'out_trade_no may hold only letters, digits and . _ - |.');
  if (!httpUrl(input.notifyUrl)) return refuse('notify_url', 'notify_url must be an absolute http(s) URL.');
  if (input.returnUrl && !httpUrl(input.returnUrl))
    return refuse('return_url', 'return_url must be an absolute http(s) URL.');
  if (!Number.isSafeInteger(input.money) || input.money <= 0)
    return refuse('money', 'money must be a positive number of cents.');
  if (isIP(input.clientIp) === 0) return refuse('clientip', "clientip must be the buyer's IP address.");
  const device = input.device ?? 'pc';
  if (!DEVICES.includes(device)) return refuse('device', `device must be one of ${DEVICES.join(', ')}.`);
  const name = cutName(input.name);
  // PHP's empty() also takes "0" for nothing: the gateway would refuse that name.
  if (PHP_BLANK.test(name) || name === '0') return refuse('name', 'name must not be empty.');
  const form: Params = {
    pid: input.pid,
    type: input.type,
    out_trade_no: input.outTradeNo,
    notify_url: input.notifyUrl,
    name,
    money: formatCents(input.money),
    clientip: input.clientIp,
    device,
  };
  if (input.returnUrl) form.return_url = input.returnUrl;
  if (input.param !== undefined && !PHP_BLANK.test(input.param)) form.param = input.param;
  return { ok: true, form: signed(form, key) };
}

/**
 * What the buyer is shown: a page to open or show as a QR, the text a QR encodes, or an app link
 * (with the pay page beside it where the gateway gives one, for a QR on a desktop).
 */
export type PayInstruction =
  { kind: 'payurl' | 'qrcode'; value: string } | { kind: 'urlscheme'; value: string; payurl?: string };

export type GatewayFailure = {
  ok: false;
  code: 'GATEWAY_SIGN_FAIL' | 'GATEWAY_REJECTED' | 'GATEWAY_BAD_RESPONSE';
  message: string;
};

export type CreateAnswer = { ok: true; tradeNo: string; pay: PayInstruction } | GatewayFailure;

const PAY_KINDS = ['payurl', 'qrcode', 'urlscheme'] as const;

function textField(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function gatewayMessage(answer: Record<string, unknown>): string {
  return typeof answer.msg === 'string' && answer.msg.trim() !== '' ? answer.msg.slice(0, 200) : 'no reason given';
}

function asObject(body: unknown): Record<string, unknown> | undefined {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}

const NOT_JSON: GatewayFailure = {
  ok: false,
  code: 'GATEWAY_BAD_RESPONSE',
  message: 'The epay gateway did not answer with a JSON object.',
};

/** A negative code: -3 is the signature (or key) check failing; any other is the gateway's refusal. */
function refusal(answer: Record<string, unknown>, code: number, what = 'the order'): GatewayFailure {
  const message = gatewayMessage(answer);
  if (code === -3 || /签名|sign/i.test(message)) {
    return {
      ok: false,
      code: 'GATEWAY_SIGN_FAIL',
      message: `The epay gateway refused the signature (${message}): check EPAY_PID and EPAY_KEY.`,
    };
  }
  return {
    ok: false,
    code: 'GATEWAY_REJECTED',
    message: `The epay gateway refused ${what} (code ${code}): ${message}.`,
  };
}

/** Reads mapi.php's JSON: code 1 with a trade_no and exactly one of payurl, qrcode, urlscheme. */
export function readCreateAnswer(body: unknown): CreateAnswer {
  const answer = asObject(body);
  if (!answer) return NOT_JSON;
  const code = integerField(answer.code);
  if (code !== undefined && code < 0) return refusal(answer, code);
  if (code !== 1)
    return { ok: false, code: 'GATEWAY_BAD_RESPONSE', message: 'The epay gateway answered with an unknown code.' };
  const tradeNo = textField(answer.trade_no);
  const given = PAY_KINDS.filter((kind) => typeof answer[kind] === 'string' && answer[kind] !== '');
  // An app link may come with the pay page it stands for: the page is the desktop's QR.
  if (tradeNo && given.length === 2 && given.includes('urlscheme') && given.includes('payurl')) {
    return {
      ok: true,
      tradeNo,
      pay: { kind: 'urlscheme', value: answer.urlscheme as string, payurl: answer.payurl as string },
    };
  }
  if (!tradeNo || given.length !== 1) {
    const html =
      typeof answer.html === 'string' ? ' (it gave an HTML form, which only the redirect flow can show)' : '';
    return {
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
      message: `The epay gateway answered code 1 without a trade_no and exactly one of payurl, qrcode or urlscheme${html}.`,
    };
  }
  return { ok: true, tradeNo, pay: { kind: given[0], value: answer[given[0]] as string } };
}

/**
 * mapi.php's `device` from the buyer's User-Agent: inside WeChat, QQ or Alipay the gateway can
 * hand that app's own pay flow; on another phone a mobile page or app link; else `pc` (a QR).
 */
export function deviceOf(userAgent: string | null | undefined): Device {
  const agent = userAgent ?? '';
  if (/MicroMessenger/i.test(agent)) return 'wechat';
  if (/AlipayClient/i.test(agent)) return 'alipay';
  if (/\bQQ\//i.test(agent)) return 'qq';
  if (/Mobile|Android|iPhone|iPad|iPod/i.test(agent)) return 'mobile';
  return 'pc';
}

/** A verified payment notify. `name` and `param` are for display; `fields` are the raw strings signed. */
export interface EpayPayment {
  pid: string;
  tradeNo: string;
  outTradeNo: string;
  type: string;
  money: Cents;
  name: string;
  param: string;
  fields: Params;
}

export type NotifyReading =
  | { ok: true; payment: EpayPayment }
  | {
      ok: false;
      reason: 'bad-sign' | 'wrong-merchant' | 'missing-field' | 'not-success' | 'bad-money';
      message: string;
    };

const NOTIFY_REQUIRED = ['pid', 'trade_no', 'out_trade_no', 'type', 'money', 'trade_status'] as const;

/**
 * Reads the notify's query (the same fields come to return_url): verified over the raw strings,
 * from our merchant number, TRADE_SUCCESS, and `money` in cents whatever its float form (`1`,
 * `1.5`, `0.1`, `1.00`). Unknown fields are tolerated (and signed).
 */
export function readNotify(received: Received, key: string, pid: string): NotifyReading {
  if (!verify(received, key))
    return { ok: false, reason: 'bad-sign', message: 'The notify is not signed with our epay key.' };
  const fields: Params = {};
  for (const [name, value] of Object.entries(received)) if (typeof value === 'string') fields[name] = value;
  const missing = NOTIFY_REQUIRED.find((name) => !fields[name]);
  if (missing) return { ok: false, reason: 'missing-field', message: `The notify has no ${missing}.` };
  if (fields.pid !== pid)
    return { ok: false, reason: 'wrong-merchant', message: `The notify is for merchant ${fields.pid}, not ours.` };
  if (fields.trade_status !== 'TRADE_SUCCESS') {
    return {
      ok: false,
      reason: 'not-success',
      message: `The notify's trade_status is ${fields.trade_status.slice(0, 40)}, not TRADE_SUCCESS.`,
    };
  }
  const money = parseAmount(fields.money);
  if (money === undefined || money <= 0)
    return { ok: false, reason: 'bad-money', message: "The notify's money is not an amount." };
  return {
    ok: true,
    payment: {
      pid: fields.pid,
      tradeNo: fields.trade_no,
      outTradeNo: fields.out_trade_no,
      type: fields.type,
      money,
      name: gatewayUnescape(fields.name ?? ''),
      param: gatewayUnescape(fields.param ?? ''),
      fields,
    },
  };
}

/** Which order a query or refund means: ours (out_trade_no) or the gateway's (trade_no). */
export type OrderRef = { outTradeNo: string } | { tradeNo: string };

function refParams(ref: OrderRef): Params {
  return 'tradeNo' in ref ? { trade_no: ref.tradeNo } : { out_trade_no: ref.outTradeNo };
}

/**
 * `GET {base}/api.php?act=order&pid=&key=&out_trade_no=`. The key travels in this URL: it comes
 * back Keyed, so it prints redacted; the caller hands reveal() to the HTTP client and nothing else
 * (no log line, no error message, no error cause that carries the URL). The client's own errors may
 * quote the URL (fetch's "Failed to parse URL from …"): report them with `redacted`, not their message.
 */
export function orderQuery(base: string, pid: string, key: string, ref: OrderRef): Keyed {
  const url = endpoint(base, 'api.php');
  return new Keyed((secret) => {
    url.search = new URLSearchParams({ act: 'order', pid, key: secret, ...refParams(ref) }).toString();
    return url.href;
  }, key);
}

export type OrderState = 'unpaid' | 'paid' | 'refunded' | 'unknown';

export type OrderAnswer =
  | {
      found: true;
      state: OrderState;
      tradeNo: string;
      outTradeNo: string;
      type: string;
      money: Cents | undefined;
      name: string;
      param: string;
      /** The answer's fields as text (name and param as the gateway stores them), for evidence. */
      fields: Params;
    }
  | { found: false; message: string }
  | GatewayFailure;

/** status 0 unpaid, 1 paid; Order::refund leaves 2 on a refunded order. */
const ORDER_STATES: Record<number, OrderState> = { 0: 'unpaid', 1: 'paid', 2: 'refunded' };

/** Reads act=order's JSON: code 1 with the order (values may be strings or numbers), -1 no such order. */
export function readOrderAnswer(body: unknown): OrderAnswer {
  const answer = asObject(body);
  if (!answer) return NOT_JSON;
  const code = integerField(answer.code);
  if (code === -1) return { found: false, message: gatewayMessage(answer) };
  if (code !== undefined && code < 0) return refusal(answer, code);
  const tradeNo = textField(answer.trade_no);
  const status = integerField(answer.status);
  if (code !== 1 || !tradeNo || status === undefined) {
    return {
      ok: false,
      code: 'GATEWAY_BAD_RESPONSE',
      message: 'The epay order query answered without a code 1, trade_no and status.',
    };
  }
  return {
    found: true,
    state: ORDER_STATES[status] ?? 'unknown',
    tradeNo,
    outTradeNo: textField(answer.out_trade_no) ?? '',
    type: textField(answer.type) ?? '',
    money: parseAmount(answer.money),
    name: gatewayUnescape(textField(answer.name) ?? ''),
    param: gatewayUnescape(textField(answer.param) ?? ''),
    fields: orderFields(answer),
  };
}

/** The order's own fields of act=order's answer, as text: not its code and msg. */
const ORDER_FIELDS = [
  'trade_no',
  'out_trade_no',
  'api_trade_no',
  'type',
  'pid',
  'addtime',
  'endtime',
  'name',
  'money',
  'param',
  'buyer',
  'status',
] as const;

function orderFields(answer: Record<string, unknown>): Params {
  const fields: Params = {};
  for (const name of ORDER_FIELDS) {
    const value = textField(answer[name]);
    if (value !== undefined && value !== '') fields[name] = value;
  }
  return fields;
}

/** `POST {base}/api.php?act=refund`: the URL is key-free; the form body carries the key, so it is Keyed. */
export function refundRequest(
  base: string,
  pid: string,
  key: string,
  ref: OrderRef,
  money: Cents,
): { url: string; body: Keyed } {
  const url = endpoint(base, 'api.php');
  url.search = 'act=refund';
  const body = (secret: string) =>
    new URLSearchParams({ pid, key: secret, ...refParams(ref), money: formatCents(money) }).toString();
  return { url: url.href, body: new Keyed(body, key) };
}

export type RefundAnswer = { ok: true; money: Cents | undefined } | GatewayFailure;

/** Reads act=refund's JSON: **code 0** is success (unlike the other calls' 1), with the refunded money. */
export function readRefundAnswer(body: unknown): RefundAnswer {
  const answer = asObject(body);
  if (!answer) return NOT_JSON;
  const code = integerField(answer.code);
  if (code === 0) return { ok: true, money: parseAmount(answer.money) };
  if (code !== undefined && code < 0) return refusal(answer, code, 'the refund');
  return {
    ok: false,
    code: 'GATEWAY_BAD_RESPONSE',
    message: `The epay refund answered code ${String(answer.code)}, not 0: it did not refund.`,
  };
}
