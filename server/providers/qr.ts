/**
 * The gateway's `qrcode` is an image URL, often protocol-relative or plain http. The signer fetches
 * it and reads the payload, so the widget draws the QR itself and the page loads nothing third-party.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { crispQr } from './crisp-qr.ts';

const MAX_IMAGE_BYTES = 1_000_000;

/** `//host/x.png` takes the gateway's scheme; a path takes the gateway's origin. */
export function absoluteQrUrl(qrcode: string, gatewayUrl: string): string | undefined {
  try {
    const url = new URL(qrcode, gatewayUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export async function fetchImage(
  url: string,
  timeoutMs: number,
): Promise<{ body: Buffer; contentType: string } | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    const body = Buffer.from(await response.arrayBuffer());
    if (body.length > MAX_IMAGE_BYTES) return undefined;
    return { body, contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
  } catch {
    return undefined;
  }
}

/** The text a PNG QR code holds, or undefined when it is not a readable PNG QR code. */
export function decodeQrPng(png: Buffer): string | undefined {
  try {
    const image = PNG.sync.read(png);
    const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
    // A crisp image first, redrawn small (fast); the whole image when that does not read.
    const small = crispQr({ data: pixels, width: image.width, height: image.height });
    const fast = small && jsQR(small.data, small.width, small.height, { inversionAttempts: 'dontInvert' })?.data;
    return fast || jsQR(pixels, image.width, image.height)?.data || undefined;
  } catch {
    return undefined;
  }
}

export interface ResolvedQr {
  imageUrl: string | null;
  payload: string | null;
  /** A URL a phone opens to pay (the gateway's pay page or an app's URL scheme); none when absent. */
  link?: string | null;
  /** The QR carries no amount: the buyer must type it (V免签's isAuto). */
  enterAmount?: boolean;
}

/** The QR's payload when it can be read; the image URL is kept either way for the proxy. */
export async function resolveQr(qrcode: string, gatewayUrl: string, timeoutMs: number): Promise<ResolvedQr> {
  const imageUrl = absoluteQrUrl(qrcode, gatewayUrl) ?? null;
  const image = imageUrl ? await fetchImage(imageUrl, timeoutMs) : undefined;
  return { imageUrl, payload: (image && decodeQrPng(image.body)) ?? null };
}
