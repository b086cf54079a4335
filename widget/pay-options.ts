/**
 * What a buyer can do with an order's QR view (shared/api.ts): scan a QR, open a link on a phone.
 * Gateways answer with a QR's text, a pay page, an app's URL scheme (`alipays://…`), or some of these.
 */
import type { QrView } from '../shared/api.ts';

export const WEB = /^https?:\/\//i;

export interface PayOptions {
  /** The text to draw as the QR: the payload, else the pay page (a camera opens a web page, not an app's scheme). */
  scan?: string;
  /** The signer's copy of the gateway's QR image, for a payload that could not be read. */
  image?: string;
  /** On a phone, where its open button leads: the link, else a payload that is a web page. */
  open?: string;
}

export function payOptions(qr: QrView | null | undefined, phone: boolean): PayOptions {
  const { payload, image, link } = qr ?? {};
  const scan = payload ?? (link && WEB.test(link) ? link : undefined);
  return { scan, image, open: phone ? (link ?? (scan && WEB.test(scan) ? scan : undefined)) : undefined };
}
