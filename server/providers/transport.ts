/** How providers' calls travel: over HTTP, or in-process to the sandbox the signer mounts. */
import { ApiError } from '../errors.ts';
import { resolveQr, type ResolvedQr } from './qr.ts';

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

/** The gateway's answer text; a refusal the buyer can read when it did not answer 2xx in time. */
export async function callGateway(transport: GatewayTransport, url: string, timeoutMs: number): Promise<string> {
  try {
    const response = await transport.get(url, timeoutMs);
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
