/**
 * The CodePay provider: creat_order with a signed GET answered as JSON (page=4), the notify and the
 * return verified over every field received, ispay for reconciliation. The protocol module is pure;
 * the calls here go through a transport (HTTP, or in-process to the mounted sandbox).
 */
import { parseAmount } from '../../shared/money.ts';
import {
  createOrderParams,
  isPayNo,
  parseCreateOrderAnswer,
  parseForm,
  parseIspayAnswer,
  signedQuery,
  verify,
  type Params,
} from '../codepay/protocol.ts';
import { ApiError } from '../errors.ts';
import type { PaymentProvider } from './provider.ts';
import { callGateway, httpTransport, isTimeout, parseJson, type GatewayTransport } from './transport.ts';

export interface CodepayOptions {
  /** The creat_order URL, e.g. https://codepay.fateqq.com:51888/creat_order/ */
  url: string;
  /** The ispay URL, or null where the gateway has none. */
  ispayUrl: string | null;
  merchantId: string;
  merchantKey: string;
  merchantToken: string | null;
  /** Where the gateway sends the notify: the signer's /api/notify. */
  notifyUrl: string;
  /** The signer's /api/return, given to the gateway when the merchant set return pages. */
  returnUrl?: string;
  timeoutMs: number;
}

/** `url` with the signed query appended. */
function signedUrl(url: string, params: Params, key: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${signedQuery(params, key)}`;
}

export function codepayProvider(options: CodepayOptions, transport: GatewayTransport = httpTransport): PaymentProvider {
  const call = (url: string) => callGateway(transport, url, options.timeoutMs);

  return {
    async createOrder(order) {
      const params = createOrderParams({
        merchantId: options.merchantId,
        payId: order.id,
        type: order.type,
        price: order.price,
        param: order.param ?? undefined,
        notifyUrl: options.notifyUrl,
        returnUrl: options.returnUrl,
        outTime: order.lifetimeSeconds,
      });
      const answer = parseCreateOrderAnswer(parseJson(await call(signedUrl(options.url, params, options.merchantKey))));
      if (!answer.ok) throw new ApiError(answer.code, answer.message);
      // Reading the image is part of creating the order: it gets the order's time, at most 5 s.
      const qr = await transport.readQr(answer.qrcode, options.url, Math.min(options.timeoutMs, 5_000));
      return {
        gatewayOrderId: answer.gatewayOrderId,
        money: answer.money,
        qr,
        lifetimeMs: (answer.endTime - answer.serverTime) * 1000,
      };
    },

    /** Every non-empty field verified (none holding `&` or `=`), pay_id required, pay_no in the gateway's form. */
    readPayment(raw) {
      const params = parseForm(raw);
      if (!params || !isPayNo(params.pay_no) || !params.pay_id) return undefined;
      if (!verify(params, options.merchantKey)) return undefined;
      // Freshly parsed and ours: drop the sign in place (a copy of a null-prototype object is slow).
      delete params.sign;
      return { payNo: params.pay_no, orderId: params.pay_id, money: parseAmount(params.money) ?? null, fields: params };
    },

    async queryOrder(order) {
      if (!options.ispayUrl) return undefined;
      const params: Params = { id: options.merchantId, pay_id: order.id };
      if (order.gatewayOrderId) params.order_id = order.gatewayOrderId;
      if (options.merchantToken) params.token = options.merchantToken;
      let text: string;
      try {
        text = (await transport.get(signedUrl(options.ispayUrl, params, options.merchantKey), options.timeoutMs)).text;
      } catch (error) {
        return { error: isTimeout(error) ? 'ispay timed out' : 'ispay could not be reached' };
      }
      const answer = parseIspayAnswer(parseJson(text));
      if ('error' in answer || !answer.paid) return answer;
      const fields: Params = { ...answer.fields, pay_id: order.id, pay_no: answer.payNo };
      return {
        paid: true,
        payment: { payNo: answer.payNo, orderId: order.id, money: parseAmount(fields.money) ?? null, fields },
      };
    },

    details(fields) {
      return { payTime: fields.pay_time ?? null, param: fields.param ?? null };
    },
  };
}
