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
    const answer = `HTTP ${response.status}${await answerStart(response)}`;
    if (response.status < 200 || response.status > 299) throw new Error(`the webhook answered ${answer}`);
    return answer;
  };
}

/** What the merchant's receiver says, kept for the console: the first ANSWER_SHOWN characters, on one line. */
const ANSWER_SHOWN = 200;

async function answerStart(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < ANSWER_SHOWN * 4) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
    }
  } catch {
    // The answer broke off: what came is enough.
  } finally {
    await reader.cancel().catch(() => {});
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, ANSWER_SHOWN);
  return text ? ` ${text}` : '';
}
