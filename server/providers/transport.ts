/** How providers' calls travel: over HTTP, or in-process to the sandbox the signer mounts. */
import { ApiError } from '../errors.ts';
import { resolveQr, type ResolvedQr } from './qr.ts';

export interface GatewayReply {
  status: number;
  text: string;
}

export interface GatewayTransport {
  /** GETs a gateway URL; rejects with a TimeoutError DOMException after timeoutMs. */
  get(url: string, timeoutMs: number): Promise<GatewayReply>;
  /** POSTs a form body (`a=1&b=2`) to a gateway URL; rejects like get(). */
  post(url: string, form: string, timeoutMs: number): Promise<GatewayReply>;
  /** The QR code's image URL and the payload the image holds (null when it can't be read). */
  readQr(qrcode: string, gatewayUrl: string, timeoutMs: number): Promise<ResolvedQr>;
}

async function reply(response: Response): Promise<GatewayReply> {
  return { status: response.status, text: await response.text() };
}

export const httpTransport: GatewayTransport = {
  async get(url, timeoutMs) {
    return reply(await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' }));
  },
  async post(url, form, timeoutMs) {
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    // A redirected POST would be re-sent as a GET without its form: a 3xx is an answer of its own.
    const signal = AbortSignal.timeout(timeoutMs);
    return reply(await fetch(url, { method: 'POST', headers, body: form, redirect: 'manual', signal }));
  },
  readQr: resolveQr,
};

export function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** Some gateways send JSON with a byte-order mark or as text/html: read the text, then parse. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '').trim());
  } catch {
    return undefined;
  }
}

/**
 * The gateway's answer text (to a GET, or a POST of `form`); a refusal the buyer can read when it
 * did not answer 2xx in time. The client's own error is never quoted: its message may hold the URL.
 */
export async function callGateway(
  transport: GatewayTransport,
  url: string,
  timeoutMs: number,
  form?: string,
): Promise<string> {
  try {
    const response = await (form === undefined ? transport.get(url, timeoutMs) : transport.post(url, form, timeoutMs));
    if (response.status >= 200 && response.status <= 299) return response.text;
    throw new ApiError(
      'GATEWAY_UNAVAILABLE',
      `The payment gateway answered HTTP ${response.status}. Please try again.`,
    );
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (isTimeout(error)) {
      throw new ApiError(
        'GATEWAY_TIMEOUT',
        `The payment gateway did not answer within ${timeoutMs} ms. Please try again.`,
      );
    }
    throw new ApiError('GATEWAY_UNAVAILABLE', 'The payment gateway could not be reached. Please try again.');
  }
}
