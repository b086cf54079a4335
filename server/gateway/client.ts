/** Talks to the CodePay gateway: creat_order with a signed GET, answered as JSON (page=4). */
import type { Config } from '../config.ts';
import { ApiError } from '../errors.ts';
import { parseCreateOrderAnswer, parseIspayAnswer, signedQuery, type IspayAnswer, type Params } from '../codepay/protocol.ts';
import { resolveQr, type ResolvedQr } from './qr.ts';

/** How gateway calls travel: over HTTP, or in-process to the sandbox the signer mounts. */
export interface GatewayTransport {
  /** GETs a gateway URL; rejects with a TimeoutError DOMException after timeoutMs. */
  get(url: string, timeoutMs: number): Promise<{ status: number; text: string }>;
  /** The QR code's image URL and the payload the image holds (null when it can't be read). */
  readQr(qrcode: string, gatewayUrl: string, timeoutMs: number): Promise<ResolvedQr>;
}

export const httpTransport: GatewayTransport = {
  async get(url, timeoutMs) {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    return { status: response.status, text: await response.text() };
  },
  readQr: resolveQr,
};

export interface GatewayOptions {
  /** The creat_order URL, e.g. https://codepay.fateqq.com:51888/creat_order/ */
  url: string;
  /** The ispay URL, or null where the gateway has none. */
  ispayUrl: string | null;
  merchantId: string;
  merchantKey: string;
  merchantToken: string | null;
  timeoutMs: number;
}

export type CreatedAtGateway = Extract<ReturnType<typeof parseCreateOrderAnswer>, { ok: true }>;

export interface GatewayClient {
  readonly url: string;
  createOrder(params: Params): Promise<CreatedAtGateway>;
  /** What the answer's `qrcode` image holds; the image URL is kept either way for the proxy. */
  readQr(qrcode: string): Promise<ResolvedQr>;
  /** Asks ispay whether the order was paid; undefined without an ispay URL. */
  isPaid(order: { payId: string; gatewayOrderId: string | null }): Promise<IspayAnswer | undefined>;
}

function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Some gateways send JSON with a byte-order mark or as text/html: read the text, then parse. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '').trim());
  } catch {
    return undefined;
  }
}

export function createGatewayClient(options: GatewayOptions, transport: GatewayTransport = httpTransport): GatewayClient {
  const separator = options.url.includes('?') ? '&' : '?';
  return {
    url: options.url,
    async createOrder(params) {
      const target = `${options.url}${separator}${signedQuery(params, options.merchantKey)}`;
      let text: string;
      try {
        const response = await transport.get(target, options.timeoutMs);
        text = response.text;
        if (response.status < 200 || response.status > 299) {
          throw new ApiError('GATEWAY_UNAVAILABLE', `The payment gateway answered HTTP ${response.status}. Please try again.`);
        }
      } catch (error) {
        if (error instanceof ApiError) throw error;
        if (isTimeout(error)) {
          throw new ApiError('GATEWAY_TIMEOUT', `The payment gateway did not answer within ${options.timeoutMs} ms. Please try again.`);
        }
        throw new ApiError('GATEWAY_UNAVAILABLE', 'The payment gateway could not be reached. Please try again.');
      }
      const answer = parseCreateOrderAnswer(parseJson(text));
      if (!answer.ok) throw new ApiError(answer.code, answer.message);
      return answer;
    },
    readQr(qrcode) {
      // Reading the image is part of creating the order: it gets the order's time, at most 5 s.
      return transport.readQr(qrcode, options.url, Math.min(options.timeoutMs, 5_000));
    },
    async isPaid(order) {
      if (!options.ispayUrl) return undefined;
      const params: Params = { id: options.merchantId, pay_id: order.payId };
      if (order.gatewayOrderId) params.order_id = order.gatewayOrderId;
      if (options.merchantToken) params.token = options.merchantToken;
      const separator = options.ispayUrl.includes('?') ? '&' : '?';
      try {
        const response = await transport.get(`${options.ispayUrl}${separator}${signedQuery(params, options.merchantKey)}`, options.timeoutMs);
        return parseIspayAnswer(parseJson(response.text));
      } catch (error) {
        return { error: isTimeout(error) ? 'ispay timed out' : 'ispay could not be reached' };
      }
    },
  };
}

/**
 * The configured gateway, or in sandbox mode the sandbox mounted in the signer at `signerUrl`
 * (called in-process through `sandbox` when the signer holds it, over HTTP otherwise).
 */
export function gatewayClientFor(config: Config, signerUrl: string, sandbox?: GatewayTransport): GatewayClient {
  const sandboxUrl = `${signerUrl}/sandbox`;
  return createGatewayClient({
    url: config.gatewayUrl ?? `${sandboxUrl}/creat_order/`,
    ispayUrl: config.gatewayUrl === null ? `${sandboxUrl}/ispay` : config.ispayUrl,
    merchantId: config.merchantId,
    merchantKey: config.merchantKey,
    merchantToken: config.merchantToken,
    timeoutMs: config.gatewayTimeoutMs,
  }, config.gatewayUrl === null ? sandbox : undefined);
}
