/** POSTs an outbox event to the merchant's webhook URL, signed; any 2xx answer is a delivery. */
import type { Deliver } from '../outbox/dispatcher.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';

export interface WebhookTarget {
  url: string;
  secret: string;
  timeoutMs: number;
}

export function webhookSender(target: WebhookTarget, nowSeconds = () => Math.floor(Date.now() / 1000)): Deliver {
  return async (event) => {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'codepay-checkout-webhook',
        [SIGNATURE_HEADER]: signatureHeader(event.payload, target.secret, nowSeconds()),
      },
      body: event.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new Error(`the webhook answered HTTP ${response.status}`);
  };
}
