/**
 * The 彩虹易支付 (epay) provider: mapi.php (a signed form POST, server to server) to create, the GET
 * notify (and the buyer's return) verified over the raw received strings, api.php?act=order to
 * reconcile and act=refund to give money back. The protocol module is pure; the calls here go
 * through a transport (HTTP, or in-process to the mounted sandbox).
 *
 * api.php takes the merchant key in its URL (act=order) or form (act=refund): those come Keyed
 * from the protocol and are revealed only to the transport; no error here quotes the client's.
 */
import { isIP } from 'node:net';
import type { Channel } from '../../shared/api.ts';
import {
  createRequest,
  deviceOf,
  endpoint,
  gatewayUnescape,
  orderQuery,
  phpFields,
  readCreateAnswer,
  readNotify,
  readOrderAnswer,
  readRefundAnswer,
  refundRequest,
  type EpayType,
  type OrderRef,
  type PayInstruction,
} from '../epay/protocol.ts';
import { ApiError } from '../errors.ts';
import type { PaymentProvider } from './provider.ts';
import type { ResolvedQr } from './qr.ts';
import {
  callGateway,
  httpTransport,
  isTimeout,
  parseJson,
  type GatewayReply,
  type GatewayTransport,
} from './transport.ts';

export interface EpayOptions {
  /** The site's base URL (EPAY_URL), under which mapi.php and api.php live. */
  url: string;
  /** The merchant number (EPAY_PID). */
  pid: string;
  /** The merchant key (EPAY_KEY); never printed nor returned. */
  key: string;
  /** Where the gateway sends the notify: the signer's /api/notify. */
  notifyUrl: string;
  /** The signer's /api/return, given to the gateway when the merchant set return pages. */
  returnUrl?: string;
  timeoutMs: number;
}

/** Our channels in epay's type names. */
const EPAY_TYPES: Record<Channel, EpayType> = { 1: 'alipay', 2: 'qqpay', 3: 'wxpay' };

/**
 * mapi.php requires the buyer's address and checks it is one. An order from the merchant's backend
 * has no buyer at hand: the loopback address stands for "unknown" (the gateway accepts it).
 */
const NO_BUYER_IP = '127.0.0.1';

/**
 * What the widget shows for each answer kind: `qrcode` is the text the QR encodes; `payurl` is drawn
 * as a QR on a desktop and opened on a phone; `urlscheme` opens the app on a phone, with the QR of
 * its pay page where the gateway gave one.
 */
function qrOf(pay: PayInstruction): ResolvedQr {
  switch (pay.kind) {
    case 'qrcode':
      return { imageUrl: null, payload: pay.value, link: null };
    case 'payurl':
      return { imageUrl: null, payload: pay.value, link: pay.value };
    case 'urlscheme':
      return { imageUrl: null, payload: pay.payurl ?? null, link: pay.value };
  }
}

export function epayProvider(options: EpayOptions, transport: GatewayTransport = httpTransport): PaymentProvider {
  const { pid, key, timeoutMs } = options;
  const refOf = (order: { id: string; gatewayOrderId: string | null }): OrderRef =>
    order.gatewayOrderId ? { tradeNo: order.gatewayOrderId } : { outTradeNo: order.id };

  /** A reconciliation or refund call: its JSON (undefined when not JSON), or what went wrong in words that hold no URL. */
  async function apiCall(call: () => Promise<GatewayReply>): Promise<{ body: unknown } | { failed: string }> {
    try {
      const reply = await call();
      if (reply.status < 200 || reply.status > 299) return { failed: `api.php answered HTTP ${reply.status}` };
      return { body: parseJson(reply.text) };
    } catch (error) {
      return {
        failed: isTimeout(error) ? `api.php did not answer within ${timeoutMs} ms` : 'api.php could not be reached',
      };
    }
  }

  return {
    async createOrder(order) {
      const buyerIp = order.buyer && isIP(order.buyer.ip) !== 0 ? order.buyer.ip : NO_BUYER_IP;
      const request = createRequest(
        {
          pid,
          type: EPAY_TYPES[order.type],
          outTradeNo: order.id,
          notifyUrl: options.notifyUrl,
          returnUrl: options.returnUrl,
          // The buyer sees the name in the cashier and in the payment app's bill.
          name: `Order ${order.id}`,
          money: order.price,
          clientIp: buyerIp,
          device: deviceOf(order.buyer?.userAgent),
          param: order.param ?? undefined,
        },
        key,
      );
      if (!request.ok) throw new ApiError('GATEWAY_BAD_PARAMS', request.message);
      const form = new URLSearchParams(request.form).toString();
      const mapi = endpoint(options.url, 'mapi.php').href;
      const answer = readCreateAnswer(parseJson(await callGateway(transport, mapi, timeoutMs, form)));
      if (!answer.ok) throw new ApiError(answer.code, answer.message);
      // epay asks the amount it was given and keeps no expiry of its own: the order's lifetime is ours.
      return {
        gatewayOrderId: answer.tradeNo,
        money: order.price,
        qr: qrOf(answer.pay),
        lifetimeMs: order.lifetimeSeconds * 1000,
      };
    },

    /** Only a TRADE_SUCCESS notify of our merchant number, signed with our key, is a payment. */
    readPayment(raw) {
      const reading = readNotify(phpFields(raw), key, pid);
      if (!reading.ok) return undefined;
      const { tradeNo, outTradeNo, money } = reading.payment;
      const { sign: _sign, ...fields } = reading.payment.fields;
      return { payNo: tradeNo, orderId: outTradeNo, money, fields };
    },

    async queryOrder(order) {
      const url = orderQuery(options.url, pid, key, refOf(order));
      const reply = await apiCall(() => transport.get(url.reveal(), timeoutMs));
      if ('failed' in reply) return { error: reply.failed };
      const answer = readOrderAnswer(reply.body);
      if ('ok' in answer) return { error: answer.message };
      // Refunded was paid once, but is not money to fulfil: the refund's own record tells of it.
      if (!answer.found || answer.state !== 'paid') return { paid: false };
      if (answer.outTradeNo !== '' && answer.outTradeNo !== order.id)
        return { error: 'the epay order query answered about another order' };
      const fields = { ...answer.fields, trade_status: 'TRADE_SUCCESS' };
      return {
        paid: true,
        payment: { payNo: answer.tradeNo, orderId: order.id, money: answer.money ?? null, fields },
      };
    },

    details(fields) {
      return { payTime: fields.endtime ?? null, param: fields.param ? gatewayUnescape(fields.param) : null };
    },

    async refund(order, money) {
      const request = refundRequest(options.url, pid, key, refOf(order), money);
      const reply = await apiCall(() => transport.post(request.url, request.body.reveal(), timeoutMs));
      // No answer, or one that is no JSON: the site may have given the money back before it failed.
      const unknown = (why: string) => ({
        ok: false as const,
        message: `The refund's outcome is unknown: ${why}.`,
        outcomeUnknown: true,
      });
      if ('failed' in reply) return unknown(reply.failed);
      if (reply.body === undefined) return unknown("api.php's answer was not JSON");
      const answer = readRefundAnswer(reply.body);
      return answer.ok ? { ok: true } : { ok: false, message: answer.message };
    },
  };
}
