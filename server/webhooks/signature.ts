/**
 * Webhook signatures: header `CodePay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * keyed with MERCHANT_WEBHOOK_SECRET. The timestamp is signed too, so an old event cannot be replayed
 * once it is outside the receiver's tolerance. Node merchants import `verifyWebhook` from here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'CodePay-Signature';

export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

function hmacHex(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

export function signatureHeader(rawBody: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, rawBody)}`;
}

/**
 * Checks a webhook as received (the raw body, before any JSON parsing) and returns the parsed event.
 * Throws WebhookSignatureError when the header is missing or malformed, the signature does not
 * match, or the timestamp is more than `toleranceSeconds` away from now.
 */
export function verifyWebhook<T = unknown>(
  rawBody: string | Buffer,
  header: string | null | undefined,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): T {
  if (!header) throw new WebhookSignatureError(`no ${SIGNATURE_HEADER} header`);
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([name]) => name === 't')?.[1]);
  const signatures = parts
    .filter(([name, value]) => name === 'v1' && /^[0-9a-f]{64}$/.test(value ?? ''))
    .map(([, value]) => value);
  if (!Number.isSafeInteger(timestamp) || signatures.length === 0) {
    throw new WebhookSignatureError(`malformed ${SIGNATURE_HEADER} header`);
  }
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  if (!signatures.some((signature) => timingSafeEqual(expected, Buffer.from(signature, 'hex')))) {
    throw new WebhookSignatureError('signature does not match');
  }
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    throw new WebhookSignatureError('timestamp outside the tolerance: a stale or replayed event');
  }
  return JSON.parse(rawBody.toString()) as T;
}
