/**
 * The V免签 (VMQ) provider: createOrder (isHtml=0, a JSON answer) on the merchant's own V免签
 * server, the notify GET verified with its concatenated sign, checkOrder for reconciliation (V免签
 * never sends a notify again), closeOrder when the shop expires an order, getState for the health
 * of its monitor phone. The protocol module is pure; the calls go through a transport.
 */
import type { Channel } from '../../shared/api.ts';
import { formatCents } from '../../shared/money.ts';
import { ApiError } from '../errors.ts';
import {
  checkOrderUrl,
  closeOrderUrl,
  createOrderUrl,
  getStateUrl,
  readCheckOrderAnswer,
  readCloseOrderAnswer,
  readCreateOrderAnswer,
  readNotify,
  readStateAnswer,
  type Received,
  type VmqPayment,
  type VmqType,
} from '../vmq/protocol.ts';
import type { PaymentProvider, VerifiedPayment } from './provider.ts';
import { callGateway, httpTransport, parseJson, type GatewayTransport } from './transport.ts';

/** V免签 takes WeChat (its type 1) and Alipay (2): our channels 3 and 1. */
export const VMQ_CHANNELS: readonly Channel[] = [1, 3];
const VMQ_TYPE: Partial<Record<Channel, VmqType>> = { 1: 2, 3: 1 };
const CHANNEL_OF: Record<VmqType, Channel> = { 1: 3, 2: 1 };

/** The longest getState may take (or the gateway timeout, if shorter). */
const HEALTH_TIMEOUT_MS = 3_000;

export interface VmqOptions {
  /** The V免签 server's base URL: createOrder, checkOrder, … live under it. */
  url: string;
  /** Its communication key (通讯密钥). */
  merchantKey: string;
  /** Where V免签 sends the notify: the signer's /api/notify. */
  notifyUrl: string;
  timeoutMs: number;
  /** Our clock, for getState's `t`. */
  now?: () => number;
}

/** Query fields as V免签 sends them; a repeated name stays an array, which readNotify refuses. */
function received(raw: string): Received {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields;
}

/**
 * V免签 gives no payment number and pays an order once: our order id (its payId) names the
 * payment, so a notify and a query of one payment are one payment.
 */
function verified(payment: VmqPayment): VerifiedPayment {
  const { payId, param, type, price, reallyPrice } = payment;
  return {
    payNo: payId,
    orderId: payId,
    money: reallyPrice,
    fields: { payId, param, type: String(type), price: formatCents(price), reallyPrice: formatCents(reallyPrice) },
    claims: { price, type: CHANNEL_OF[type] },
  };
}

function epochMs(seconds: number | undefined): number | null {
  return seconds === undefined ? null : seconds * 1000;
}

export function vmqProvider(options: VmqOptions, transport: GatewayTransport = httpTransport): PaymentProvider {
  const now = options.now ?? Date.now;
  const call = async (url: string, timeoutMs = options.timeoutMs) =>
    parseJson(await callGateway(transport, url, timeoutMs));

  return {
    notifiesOnce: true,

    async createOrder(order) {
      const type = VMQ_TYPE[order.type];
      if (type === undefined) throw new ApiError('CHANNEL_NOT_ENABLED', 'V免签 takes Alipay and WeChat Pay only.');
      // The merchant's param stays with the order here: V免签 puts it in the notify unencoded, and
      // its unseparated sign could not tell it from the payId.
      const input = { payId: order.id, type, price: order.price, param: '', notifyUrl: options.notifyUrl };
      const answer = readCreateOrderAnswer(await call(createOrderUrl(options.url, input, options.merchantKey)));
      if (!answer.ok) throw new ApiError(answer.code, answer.message);
      const created = answer.order;
      if (created.payId !== order.id || created.price !== order.price || created.type !== type) {
        throw new ApiError('GATEWAY_BAD_RESPONSE', 'The V免签 server answered for another order than the one asked.');
      }
      // An http(s) pay URL (Alipay's qr.alipay.com, the sandbox's page) also opens on the phone itself.
      const link = /^https?:\/\//i.test(created.payUrl) ? created.payUrl : null;
      return {
        gatewayOrderId: created.orderId,
        money: created.reallyPrice,
        qr: { imageUrl: null, payload: created.payUrl, link, enterAmount: created.buyerTypesAmount },
        lifetimeMs: created.timeOutMinutes * 60_000,
      };
    },

    readPayment(raw) {
      const reading = readNotify(received(raw), options.merchantKey);
      return reading.ok ? verified(reading.payment) : undefined;
    },

    /** checkOrder: unsigned to ask, but its paid answer carries the signed return URL (state 1, or 2: notify failed). */
    async queryOrder(order) {
      if (!order.gatewayOrderId) return { paid: false };
      let body: unknown;
      try {
        body = await call(checkOrderUrl(options.url, order.gatewayOrderId));
      } catch (error) {
        return { error: `checkOrder: ${error instanceof Error ? error.message : String(error)}` };
      }
      const answer = readCheckOrderAnswer(body, options.merchantKey);
      if ('ok' in answer) return { error: `checkOrder: ${answer.message}` };
      if (!answer.paid) return { paid: false };
      if (answer.payment.payId !== order.id) return { error: 'checkOrder answered for another payId' };
      return { paid: true, payment: verified(answer.payment) };
    },

    async closeOrder(order) {
      if (!order.gatewayOrderId) return;
      const answer = readCloseOrderAnswer(
        await call(closeOrderUrl(options.url, order.gatewayOrderId, options.merchantKey)),
      );
      if (!answer.ok) throw new Error(answer.message);
    },

    async health() {
      let body: unknown;
      try {
        // /healthz waits for it: a hung server must not make the signer look hung.
        body = await call(
          getStateUrl(options.url, options.merchantKey, now() / 1000),
          Math.min(HEALTH_TIMEOUT_MS, options.timeoutMs),
        );
      } catch (error) {
        return { reachable: false, error: error instanceof Error ? error.message : String(error) };
      }
      const answer = readStateAnswer(body);
      if (!answer.ok) return { reachable: false, error: answer.message };
      return {
        reachable: true,
        monitor: answer.monitor,
        lastHeartbeatAt: epochMs(answer.lastHeartbeat),
        lastPaymentAt: epochMs(answer.lastPayment),
      };
    },

    details(fields) {
      return { payTime: null, param: fields.param || null };
    },
  };
}
