/** Signed webhooks from the durable outbox, to a real HTTP receiver. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantEvent } from '../../server/outbox/events.ts';
import { signatureHeader, verifyWebhook, WebhookSignatureError } from '../../server/webhooks/signature.ts';
import { signedForm } from '../support/notify.ts';
import { createOrder, eventually, payAtSandbox, postForm, postJson } from '../support/http.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SECRET = 'whsec-test-0123456789abcdef';
const API_SECRET = 'merchant-backend-secret-0123456789';

let receiver: Receiver;
let stack: Stack | undefined;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());
afterEach(async () => {
  await stack?.stop({ removeData: true });
  stack = undefined;
  receiver.received.length = 0;
  receiver.answerWith();
});

function start(dataDir?: string, env: Record<string, string> = {}) {
  return startStack({
    dataDir,
    dispatchIntervalMs: 50,
    env: {
      MERCHANT_WEBHOOK_URL: receiver.url,
      MERCHANT_WEBHOOK_SECRET: SECRET,
      WEBHOOK_RETRY_BASE_MS: '100',
      API_SECRET,
      ...env,
    },
  });
}

const events = () =>
  receiver.received.filter((hit) => hit.status === 200).map((hit) => JSON.parse(hit.body) as MerchantEvent);

describe('webhooks', () => {
  it('sends order.paid once, signed as documented, with the merchant reference', async () => {
    stack = await start();
    const order = await createOrder(
      stack.url,
      { price: '9.90', reference: 'INV-77' },
      { authorization: `Bearer ${API_SECRET}` },
    );
    await payAtSandbox(order.qr!.payload!);
    await eventually(() => (receiver.received.length > 0 ? true : undefined));
    const [hit] = receiver.received;
    expect(hit.headers['content-type']).toBe('application/json');
    // The documented algorithm, computed here by hand: HMAC-SHA256 of "<t>.<raw body>".
    const header = String(hit.headers['codepay-signature']);
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(header).toBe(signatureHeader(hit.body, SECRET, t));
    const event = verifyWebhook<MerchantEvent>(hit.body, header, SECRET, 300);
    expect(event).toMatchObject({
      type: 'order.paid',
      livemode: false,
      data: { order: { id: order.id, status: 'paid', reference: 'INV-77' } },
    });
    expect(event.id).toMatch(/^evt_/);
    expect(event.data.payment.outcome).toBe('paid');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(1);
  });

  it('re-sends to a receiver that fails twice, then never again', async () => {
    stack = await start();
    receiver.answerWith(500, 503);
    const order = await createOrder(stack.url, { price: '5.00' });
    await payAtSandbox(order.qr!.payload!);
    await eventually(() => (receiver.received.length >= 3 ? true : undefined), 10_000, 'third delivery');
    expect(receiver.received.map((hit) => hit.status)).toEqual([500, 503, 200]);
    const ids = receiver.received.map((hit) => (JSON.parse(hit.body) as MerchantEvent).id);
    expect(new Set(ids).size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(3);
    const [row] = await stack.signer.store.listEvents({ orderId: order.id });
    expect(row).toMatchObject({ attempts: 3, lastError: null });
    expect(row.deliveredAt).not.toBeNull();
  });

  it('delivers after a restart what it could not deliver before', async () => {
    stack = await start();
    receiver.answerWith(...Array(1000).fill(500));
    const order = await createOrder(stack.url, { price: '6.00' });
    await payAtSandbox(order.qr!.payload!);
    await eventually(() => (receiver.received.length >= 1 ? true : undefined));
    await stack.stop();
    receiver.answerWith();
    stack = await start(stack.dataDir);
    await eventually(() => (events().length === 1 ? true : undefined), 10_000, 'delivery after restart');
    expect(events()[0].data.order?.id).toBe(order.id);
  });

  it('tells of late payments, payments in review and payments for no order', async () => {
    stack = await start(undefined, { ORDER_TTL: '1' });
    const review = await createOrder(stack.url, { price: '7.00' });
    await postJson(`${stack.sandboxUrl}/_control/faults`, { pay_id: review.id, differentMoney: true });
    await payAtSandbox(review.qr!.payload!);
    const late = await createOrder(stack.url, { price: '8.00' });
    await eventually(async () =>
      (await stack!.signer.store.getOrder(late.id))?.status === 'expired' ? true : undefined,
    );
    await payAtSandbox(late.qr!.payload!);
    const orphan = {
      pay_id: 'no-such-order',
      money: '1.00',
      price: '1.00',
      type: '1',
      pay_no: '20260101000000000000000000000001',
      pay_time: '1800000000',
    };
    expect((await postForm(`${stack.url}/api/notify`, signedForm(orphan))).text).toBe('success');
    await eventually(() => (events().length === 3 ? true : undefined), 10_000, 'three events');
    const byType = Object.fromEntries(events().map((event) => [event.type, event]));
    expect(byType['order.review'].data.order).toMatchObject({ id: review.id, status: 'review' });
    expect(byType['order.paid_late'].data.order).toMatchObject({ id: late.id, status: 'paid', late: true });
    expect(byType['payment.orphan'].data).toMatchObject({
      order: null,
      payment: { pay_no: '20260101000000000000000000000001', outcome: 'orphan', money: '1.00' },
    });
  });
});

describe('verifyWebhook', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'order.paid' });
  const now = 1_800_000_000;
  const header = signatureHeader(body, SECRET, now);

  it('returns the event for a genuine delivery', () => {
    expect(verifyWebhook(body, header, SECRET, 300, now + 10)).toEqual({ id: 'evt_1', type: 'order.paid' });
  });

  it('refuses a stale timestamp, a tampered body, another secret, a missing or malformed header', () => {
    const refused: [string, string | undefined, string][] = [
      [body, header, 'x'.repeat(20)],
      [body.replace('evt_1', 'evt_2'), header, SECRET],
      [body, undefined, SECRET],
      [body, 't=abc,v1=zz', SECRET],
      [body, header.replace(/v1=\w/, 'v1=0'), SECRET],
    ];
    for (const [raw, given, secret] of refused) {
      expect(() => verifyWebhook(raw, given, secret, 300, now), String(given)).toThrow(WebhookSignatureError);
    }
    expect(() => verifyWebhook(body, header, SECRET, 300, now + 301)).toThrow(/stale/);
  });
});
